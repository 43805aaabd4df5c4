using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ScottPlot;
using TrainKit.Schedulers.Config;
using TrainKit.IO;
using TrainKit.Sweeps.Pruning;
using TrainKit.Sweeps.Store;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;
using TrainKit.Training.Metrics;
using TrainKit.Training.Plots;

namespace TrainKit.Sweeps.Tuning;

/// <summary>One trial as ranked: its drawn values (kind, schedule.params.*, overrides by dotted key), state, and the
/// metric at its last evaluation (for a pruned trial, the one it was cut on).</summary>
public sealed record RankedTrial(int Rank, string Name, TrialState State, string Kind, IReadOnlyDictionary<string, JsonNode?> Values, double? Metric, long? Step);

/// <summary>
/// What `trainkit tune` writes into OUT/tune/: <c>trials.md</c> and <c>trials.csv</c> (every trial ranked, finished ones
/// first by the metric, then pruned ones, pruned marked), the best trial's resolved config as <c>best_run.json</c>
/// (runs as is with `trainkit train --config`), its schedule as a C# snippet (<c>best_schedule.cs</c>), and one chart
/// per searched numeric value against the metric (<c>param_KEY.png</c>, pruned trials drawn apart); with a pruner, the
/// metric at each rung per trial (<c>rungs.png</c>, <see cref="RungChart"/>).
/// </summary>
public static class TuneReport
{
    public const string Folder = "tune";

    public static IReadOnlyList<RankedTrial> Rank(TrialStore store, ExperimentSpec spec, SearchSpace space, string sweepFolder)
    {
        var sweep = new Sweep(spec, sweepFolder);
        var cells = sweep.Cells().ToDictionary(c => c.Name);
        var variants = spec.Variants.ToDictionary(v => v.Name);
        bool max = space.Mode == "max";
        var rows = store.Trials(spec.Name).Select(t =>
        {
            var (metric, step) = LastMetric(sweep.CellDirectory(cells[t.Name]), space.Metric);
            VariantSpec v = variants[t.Variant];
            var values = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var (k, val) in v.Schedule?["params"]?.AsObject() ?? []) values[$"schedule.params.{k}"] = val;
            Flatten(v.Overrides ?? [], "", values);
            return (Trial: t, Kind: v.Schedule?["kind"]?.GetValue<string>() ?? "", Values: values, Metric: metric, Step: step);
        }).ToList();
        // Finished trials first, then pruned, then the rest; within each by the metric (missing last), then name.
        var ordered = rows
            .OrderBy(r => r.Trial.State switch { TrialState.Done => 0, TrialState.Pruned => 1, _ => 2 })
            .ThenBy(r => r.Metric is double m ? (max ? -m : m) : double.PositiveInfinity)
            .ThenBy(r => r.Trial.Name, StringComparer.Ordinal);
        return [.. ordered.Select((r, i) => new RankedTrial(i + 1, r.Trial.Name, r.Trial.State, r.Kind, r.Values, r.Metric, r.Step))];
    }

    /// <summary>Writes the report; returns its folder.</summary>
    public static string Write(IReadOnlyList<RankedTrial> ranked, ExperimentSpec spec, SearchSpace space, string sweepFolder, string commandLine,
        IReadOnlyList<RungPath>? rungs = null)
    {
        string dir = Path.Combine(sweepFolder, Folder);
        Directory.CreateDirectory(dir);
        var keys = ranked.SelectMany(r => r.Values.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        string F(double? v) => v is double d ? d.ToString("0.######", CultureInfo.InvariantCulture) : "";
        string V(RankedTrial r, string k) => r.Values.TryGetValue(k, out var n) && n is not null ? (n is JsonValue v && v.TryGetValue<string>(out var text) ? text : n.ToJsonString()) : "";
        static string Q(string value) => value.IndexOfAny([',', '"', '\n']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

        var csv = new StringBuilder($"rank,trial,state,kind,{string.Join(',', keys)},{space.Metric},at_step\n");
        foreach (var r in ranked)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Rank},{r.Name},{TrialStates.Name(r.State)},{r.Kind},{string.Join(',', keys.Select(k => Q(V(r, k))))},{F(r.Metric)},{r.Step}\n");
        AtomicFile.WriteAllText(Path.Combine(dir, "trials.csv"), csv.ToString());

        RankedTrial? best = ranked.FirstOrDefault(r => r.State == TrialState.Done && r.Metric is not null);
        var md = new StringBuilder($"# {spec.Name}: {ranked.Count} trials, ranked by {space.Metric} ({space.Mode})\n\n");
        md.Append(CultureInfo.InvariantCulture, $"`{commandLine}`\n\n");
        md.Append($"| rank | trial | state | kind | {string.Join(" | ", keys)} | {space.Metric} | at step |\n");
        md.Append($"|{string.Concat(Enumerable.Repeat("---|", keys.Count + 6))}\n");
        foreach (var r in ranked)
            md.Append(CultureInfo.InvariantCulture, $"| {r.Rank} | {r.Name} | {(r.State == TrialState.Pruned ? "**pruned**" : TrialStates.Name(r.State))} | {r.Kind} | {string.Join(" | ", keys.Select(k => V(r, k)))} | {F(r.Metric)} | {r.Step} |\n");
        if (best is not null)
        {
            Cell cell = new Sweep(spec, sweepFolder).Cells().Single(c => c.Name == best.Name);
            RunConfig config = cell.Config with { Out = null };
            AtomicFile.WriteAllText(Path.Combine(dir, "best_run.json"), RunConfigJson.Serialize(config) + "\n");
            AtomicFile.WriteAllText(Path.Combine(dir, "best_schedule.cs"), CSharpSnippet.For(config.Schedule) + "\n");
            md.Append(CultureInfo.InvariantCulture, $"\nBest: **{best.Name}** ({space.Metric} {F(best.Metric)}). Re-run it with `trainkit train --config {Path.Combine(dir, "best_run.json")}`; its schedule in C# is `best_schedule.cs`.\n");
        }
        else md.Append("\nNo trial finished with the metric: no best config.\n");
        if (space.Asha is { } asha && rungs is not null && RungChart.Save(rungs, asha, Path.Combine(dir, RungChart.FileName)))
            md.Append(CultureInfo.InvariantCulture, $"\n{asha.Metric} at each rung (pruned trials dashed, cut at the cross):\n\n![rungs]({RungChart.FileName})\n");

        foreach (string key in keys)
        {
            var points = ranked.Where(r => r.Metric is not null && Number(r.Values.GetValueOrDefault(key)) is not null)
                .Select(r => (X: Number(r.Values[key])!.Value, Y: r.Metric!.Value, r.State)).ToList();
            if (points.Count == 0) continue;
            // Learning rates are drawn log-uniform: plot them on a log10 axis so the draws spread evenly.
            bool log = key.Split('.')[^1].Contains("lr", StringComparison.Ordinal) && points.All(p => p.X > 0);
            // A diverged trial's loss is orders of magnitude above the rest: a log10 axis keeps the others readable.
            bool logY = points.All(p => p.Y > 0) && points.Max(p => p.Y) > 100 * points.Min(p => p.Y);
            var plot = new Plot();
            foreach (var (state, color) in new[] { (TrialState.Done, Colors.Blue), (TrialState.Pruned, Colors.Orange) })
            {
                var group = points.Where(p => p.State == state).ToList();
                if (group.Count == 0) continue;
                var scatter = plot.Add.ScatterPoints(group.Select(p => log ? Math.Log10(p.X) : p.X).ToArray(), group.Select(p => logY ? Math.Log10(p.Y) : p.Y).ToArray(), color);
                scatter.MarkerSize = 9;
                scatter.LegendText = TrialStates.Name(state);
            }
            plot.Axes.Bottom.Label.Text = log ? $"log10 {key}" : key;
            plot.Axes.Left.Label.Text = logY ? $"log10 {space.Metric}" : space.Metric;
            plot.Title($"{key} vs {space.Metric} ({points.Count} trials)");
            plot.ShowLegend();
            string file = "param_" + key.Replace('.', '_') + ".png";
            SchedulePlot.Save(plot, Path.Combine(dir, file), 800, 500);
            md.Append($"\n![{key}]({file})\n");
        }
        AtomicFile.WriteAllText(Path.Combine(dir, "trials.md"), md.ToString());
        return dir;
    }

    /// <summary>A drawn value as a number (ints and doubles alike); null for strings and booleans (no chart).</summary>
    static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;

    static (double? Metric, long? Step) LastMetric(string folder, string metric)
    {
        if (!Directory.Exists(folder)) return (null, null);
        var row = MetricsLog.Read(folder).LastOrDefault(r => r[metric] is not null);
        return row is null ? (null, null) : (row[metric]!.GetValue<double>(), row["step"]!.GetValue<long>());
    }

    static void Flatten(JsonObject node, string prefix, IDictionary<string, JsonNode?> into)
    {
        foreach (var (k, v) in node)
            if (v is JsonObject child) Flatten(child, prefix + k + ".", into);
            else into[prefix + k] = v;
    }
}
