using System.Globalization;
using ScottPlot;
using TrainKit.Sweeps.Store;
using TrainKit.Training.Experiments;
using TrainKit.Training.Metrics;

namespace TrainKit.Sweeps.Pruning;

/// <summary>One trial's path through the rungs: the metric it reported at each rung (from the store), and for a trial
/// that ran to the end its last evaluation (from its metrics.jsonl), in the pruner's unit.</summary>
public sealed record RungPath(string Name, TrialState State, int Bracket, IReadOnlyList<(double Resource, double Metric)> Points);

/// <summary>
/// <c>rungs.png</c>: the metric at each rung per trial, so a pruned trial keeps its record next to the ones that
/// finished. Finished trials are solid blue lines, pruned ones dashed orange ending in a cross where they were cut.
/// The resource axis is log-spaced (rungs grow geometrically, so they sit evenly apart) with a tick per rung; a loss
/// or perplexity gets a log10 metric axis labelled in its own units, so a diverged trial does not flatten the rest.
/// With Hyperband brackets each bracket's rung points get their own marker shape.
/// </summary>
public static class RungChart
{
    public const string FileName = "rungs.png";

    /// <summary>The paths of every trial of a sweep that reported at least one rung.</summary>
    public static IReadOnlyList<RungPath> Paths(TrialStore store, ExperimentSpec spec, AshaConfig asha, string sweepFolder)
    {
        var sweep = new Sweep(spec, sweepFolder);
        var cells = sweep.Cells().ToDictionary(c => c.Name);
        var rungs = store.Rungs(spec.Name).ToLookup(r => r.TrialId);
        var paths = new List<RungPath>();
        foreach (TrialRecord t in store.Trials(spec.Name))
        {
            var points = rungs[t.Id].OrderBy(r => r.Rung).Select(r => (r.Resource, r.Metric)).ToList();
            if (t.State == TrialState.Done && cells.TryGetValue(t.Name, out Cell? cell) && Final(sweep.CellDirectory(cell), asha) is { } end
                && (points.Count == 0 || end.Resource > points[^1].Resource))
                points.Add(end);
            if (points.Count > 0) paths.Add(new RungPath(t.Name, t.State, t.Bracket, points));
        }
        return paths;
    }

    /// <summary>Draws the chart; returns false (and writes nothing) when no trial reported a rung.</summary>
    public static bool Save(IReadOnlyList<RungPath> paths, AshaConfig asha, string path)
    {
        var finite = paths.Select(p => p with { Points = [.. p.Points.Where(x => double.IsFinite(x.Metric) && x.Resource > 0)] })
            .Where(p => p.Points.Count > 0).ToList();
        if (finite.Count == 0) return false;
        bool loss = asha.Metric.EndsWith("loss", StringComparison.Ordinal) || asha.Metric.EndsWith("perplexity", StringComparison.Ordinal);
        bool logY = loss && finite.All(p => p.Points.All(x => x.Metric > 0));
        // A diverged trial's loss can sit orders of magnitude above the rest (1e6 against 2): the axis stops at ten times
        // the median and such points are drawn on its top edge with their value, so the trials that matter stay apart.
        double median = finite.SelectMany(p => p.Points).Select(x => x.Metric).Order().ElementAt(finite.Sum(p => p.Points.Count) / 2);
        double? cap = logY && finite.Any(p => p.Points.Any(x => x.Metric > 10 * median)) ? 10 * median : null;
        double Y(double v) => logY ? Math.Log10(cap is double c ? Math.Min(v, c) : v) : v;

        var plot = new Plot();
        var done = new Color(31, 119, 180);
        var pruned = new Color(255, 127, 14);
        var other = new Color(128, 128, 128);
        var labelled = new HashSet<TrialState>();
        var cuts = new List<(double Resource, double Metric)>();
        foreach (RungPath p in finite.OrderBy(p => p.State == TrialState.Done)) // finished lines drawn last, on top
        {
            Color color = p.State switch { TrialState.Done => done, TrialState.Pruned => pruned, _ => other };
            var line = plot.Add.ScatterLine(p.Points.Select(x => Math.Log10(x.Resource)).ToArray(), p.Points.Select(x => Y(x.Metric)).ToArray(), color.WithAlpha(0.8));
            line.LineWidth = p.State == TrialState.Done ? 2 : 1.5f;
            line.LinePattern = p.State == TrialState.Done ? LinePattern.Solid : LinePattern.Dashed;
            if (labelled.Add(p.State))
                line.LegendText = p.State switch { TrialState.Done => "ran to the end", TrialState.Pruned => "pruned", _ => TrialStates.Name(p.State) };
            if (p.State == TrialState.Pruned) cuts.Add(p.Points[^1]);
        }
        MarkerShape[] shapes = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.OpenCircle];
        foreach (var group in finite.GroupBy(p => p.Bracket).OrderBy(g => g.Key))
        {
            // The rung points themselves (not the final evaluation), one marker shape per bracket.
            // A trial of the bracket without rungs has only its end point: it gets the bracket's marker too.
            var atRungs = group.SelectMany(p => p.State == TrialState.Done && p.Points.Count > 1 ? p.Points.Take(p.Points.Count - 1) : p.Points).ToList();
            if (atRungs.Count == 0) continue;
            var markers = plot.Add.ScatterPoints(atRungs.Select(x => Math.Log10(x.Resource)).ToArray(), atRungs.Select(x => Y(x.Metric)).ToArray(), Colors.Black.WithAlpha(0.6));
            markers.MarkerShape = shapes[group.Key % shapes.Length];
            markers.MarkerSize = 6;
            if (asha.Brackets > 1) markers.LegendText = asha.RungsOf(group.Key).Count == 0 ? $"bracket {group.Key}: no rung, its end" : $"bracket {group.Key}: at its rungs";
        }
        if (cuts.Count > 0)
        {
            // Drawn last so the rung markers do not hide where a trial was cut.
            var cut = plot.Add.ScatterPoints(cuts.Select(x => Math.Log10(x.Resource)).ToArray(), cuts.Select(x => Y(x.Metric)).ToArray(), pruned);
            cut.MarkerShape = MarkerShape.Eks;
            cut.MarkerSize = 14;
            cut.MarkerLineWidth = 2.5f;
            cut.LegendText = "cut here";
        }
        if (cap is double top)
            // One label per resource: points cut at the same rung would print over each other.
            foreach (var above in finite.SelectMany(p => p.Points).Where(x => x.Metric > top).GroupBy(x => Math.Round(Math.Log10(x.Resource), 2)))
            {
                var sorted = above.Select(x => x.Metric).Order().ToList();
                // Past five values the label would run out of the plot: the count and the range say enough.
                string values = sorted.Count <= 5 ? string.Join(", ", sorted.Select(Above)) : $"{sorted.Count} above: {Above(sorted[0])} … {Above(sorted[^1])}";
                var text = plot.Add.Text("↑ " + values, above.Key, Math.Log10(top));
                text.LabelFontSize = 11;
                text.LabelAlignment = Alignment.LowerLeft;
                text.LabelOffsetX = 8;
            }

        var rungs = asha.Rungs();
        double end = finite.SelectMany(p => p.Points).Max(x => x.Resource);
        var ticks = rungs.Select((r, k) => (Position: Math.Log10(r), Label: F(r) + $"\nrung {k}")).ToList();
        if (end > rungs[^1] * 1.05) ticks.Add((Math.Log10(end), F(end) + "\nend"));
        plot.Axes.Bottom.SetTicks([.. ticks.Select(t => t.Position)], [.. ticks.Select(t => t.Label)]);
        if (logY)
        {
            var values = finite.SelectMany(p => p.Points).Select(x => Math.Pow(10, Y(x.Metric))).ToList();
            var yTicks = LogTicks(values.Min(), values.Max());
            plot.Axes.Left.SetTicks([.. yTicks.Select(Math.Log10)], [.. yTicks.Select(F)]);
            if (cap is double c) plot.Axes.SetLimitsY(Math.Log10(values.Min()) - 0.05, Math.Log10(c) + 0.12);
        }
        int donePaths = finite.Count(p => p.State == TrialState.Done), prunedPaths = finite.Count(p => p.State == TrialState.Pruned);
        plot.Title($"{asha.Metric} per rung: {donePaths} ran to the end, {prunedPaths} pruned" +
            (asha.Brackets > 1 ? $", {asha.Brackets} brackets" : ""));
        plot.XLabel($"{asha.Unit} (log scale)");
        plot.YLabel(logY ? $"{asha.Metric} (log scale)" : asha.Metric);
        // Beside the plot, never over the lines (as the report's charts do).
        plot.ShowLegend(Edge.Right);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 1000, 560);
        return true;
    }

    static string Above(double v) => v.ToString(v >= 1e5 ? "0.##e0" : v >= 100 ? "0" : "G3", CultureInfo.InvariantCulture);

    static string F(double v) => v.ToString(v >= 1e5 || v < 1e-3 ? "0.##e0" : "0.###", CultureInfo.InvariantCulture);

    /// <summary>Log-axis ticks in the data's own units: 1, 2 and 5 per decade; every digit, or every tenth of one (thinned
    /// to at most eight), when the data span too little of a decade for three; powers of ten only over many decades.</summary>
    static IReadOnlyList<double> LogTicks(double min, double max)
    {
        int low = (int)Math.Floor(Math.Log10(min)), high = (int)Math.Ceiling(Math.Log10(max));
        List<double> Level(IEnumerable<double> mantissas) =>
            [.. Enumerable.Range(low, high - low + 1).SelectMany(d => mantissas.Select(m => Math.Round(m * Math.Pow(10, d), 12)))
                .Where(v => v >= min * 0.98 && v <= max * 1.02).Distinct()];
        var ticks = Level([1, 2, 5]);
        if (ticks.Count < 3) ticks = Level(Enumerable.Range(1, 9).Select(m => (double)m));
        if (ticks.Count < 3) ticks = Level(Enumerable.Range(10, 90).Select(m => m / 10.0));
        if (ticks.Count > 10 && ticks.Count(IsPowerOfTen) >= 2) return [.. ticks.Where(IsPowerOfTen)];
        int stride = (ticks.Count + 7) / 8;
        return ticks.Count < 2 ? [min, max] : [.. ticks.Where((_, i) => i % stride == 0)];
    }

    static bool IsPowerOfTen(double v) => Math.Abs(Math.Log10(v) - Math.Round(Math.Log10(v))) < 1e-9;

    /// <summary>The last evaluation of a finished trial: (epoch or step, metric).</summary>
    static (double Resource, double Metric)? Final(string folder, AshaConfig asha)
    {
        if (!Directory.Exists(folder)) return null;
        var row = MetricsLog.Read(folder).LastOrDefault(r => r[asha.Metric] is not null);
        if (row is null) return null;
        double resource = asha.Unit == "epochs" ? row["epoch"]!.GetValue<double>() : row["step"]!.GetValue<long>();
        return (resource, row[asha.Metric]!.GetValue<double>());
    }
}
