using System.Globalization;
using System.Text;
using TrainKit.IO;
using TrainKit.Training.Statistics;

namespace TrainKit.Training.Reports;

/// <summary>
/// `trainkit aggregate`: which schedule is best across several sweeps (tasks), the way Agarwal et al. 2021 aggregate
/// over tasks. Each run's metric is normalized within its sweep (min–max over that sweep's finished, non-diverged
/// runs of every variant, oriented so 1 is the sweep's best run and 0 its worst), so sweeps of different difficulty
/// weigh the same; a variant's score is the interquartile mean over its (sweep, seed) runs with a stratified
/// bootstrap 95 % interval (strata = sweeps), and P(X > Y) is the probability of improvement over the sweeps both
/// ran in. Variants found in one sweep only are listed but not aggregated; a variant missing from some sweeps is
/// aggregated over the others and the report names what it misses. Writes aggregate.md and aggregate.csv.
/// </summary>
public static class CrossSweepAggregate
{
    public sealed record VariantScore(string Variant, IReadOnlyList<string> Sweeps, IReadOnlyList<string> MissingFrom, int Runs, int Diverged,
        double Iqm, Interval Ci);

    public sealed record Improvement(string Variant, string Other, int SharedSweeps, double Probability);

    public sealed record Result(IReadOnlyList<VariantScore> Variants, IReadOnlyList<Improvement> Improvements, IReadOnlyList<(string Variant, string Sweep)> SingleSweep,
        IReadOnlyList<string> Sweeps, string Markdown, string Csv);

    public const string MarkdownFile = "aggregate.md";
    public const string CsvFile = "aggregate.csv";
    public const string CsvHeader = "variant,sweeps,missing_from,runs,diverged,iqm,ci_low,ci_high";

    public static Result Build(IReadOnlyList<string> sweepDirectories, string metricKey, string outFolder,
        int resamples = PercentileBootstrap.DefaultResamples, ulong seed = PercentileBootstrap.DefaultSeed)
    {
        if (sweepDirectories.Count < 2) throw new ArgumentException("aggregate needs at least two sweep folders (one sweep is one task: use its report)");
        var metric = ComparisonMetric.Standard.FirstOrDefault(m => m.Key == metricKey)
            ?? throw new ArgumentException($"--metric '{metricKey}' is not one of {string.Join(", ", ComparisonMetric.Standard.Select(m => m.Key))}");
        var names = sweepDirectories.Select(d => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(d)))).ToList();
        if (names.Distinct().Count() < names.Count) throw new ArgumentException($"two sweep folders share a name ({string.Join(", ", names)}): give each sweep once, under its own name");

        // sweep → variant → normalized scores of its runs; diverged runs counted per (sweep, variant).
        var scores = new Dictionary<string, Dictionary<string, List<double>>>();
        var diverged = new Dictionary<(string, string), int>();
        foreach (var (directory, sweep) in sweepDirectories.Zip(names))
        {
            var cells = ReportBuilder.FinishedCells(directory);
            foreach (var d in cells.Where(c => c.Diverged)) diverged[(sweep, d.Variant)] = diverged.GetValueOrDefault((sweep, d.Variant)) + 1;
            var values = cells.Where(c => !c.Diverged).Select(c => (c.Variant, Value: metric.Read(c))).Where(v => v.Value is not null)
                .Select(v => (v.Variant, Value: v.Value!.Value)).ToList();
            double min = values.Count == 0 ? 0 : values.Min(v => v.Value), max = values.Count == 0 ? 0 : values.Max(v => v.Value);
            scores[sweep] = values.GroupBy(v => v.Variant).ToDictionary(g => g.Key, g => g.Select(v => Normalize(v.Value, min, max, metric.HigherIsBetter)).ToList());
        }

        var variants = scores.Values.SelectMany(s => s.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        List<string> SweepsOf(string variant) => [.. names.Where(s => scores[s].ContainsKey(variant))];
        var aggregated = variants.Where(v => SweepsOf(v).Count >= 2).ToList();
        var singleSweep = variants.Where(v => SweepsOf(v).Count == 1).Select(v => (v, SweepsOf(v)[0])).ToList();
        if (aggregated.Count == 0)
            throw new InvalidOperationException($"no variant has scored runs of '{metric.Key}' in two or more of the sweeps {string.Join(", ", names)}; nothing to aggregate");

        var results = aggregated.Select(v =>
        {
            var present = SweepsOf(v);
            var perSweep = present.Select(s => (IReadOnlyList<double>)scores[s][v]).ToList();
            return new VariantScore(v, present, [.. names.Except(present)], perSweep.Sum(p => p.Count), names.Sum(s => diverged.GetValueOrDefault((s, v))),
                InterquartileMean.Of(perSweep.SelectMany(p => p)), InterquartileMean.StratifiedBootstrap(perSweep, resamples: resamples, seed: seed));
        }).OrderByDescending(r => r.Iqm).ToList();

        var improvements = new List<Improvement>();
        foreach (var x in results)
            foreach (var y in results.Where(y => y.Variant != x.Variant))
            {
                var shared = x.Sweeps.Intersect(y.Sweeps).ToList();
                if (shared.Count == 0) continue;
                improvements.Add(new Improvement(x.Variant, y.Variant, shared.Count,
                    ProbabilityOfImprovement.Of([.. shared.Select(s => ((IReadOnlyList<double>)scores[s][x.Variant], (IReadOnlyList<double>)scores[s][y.Variant]))])));
            }

        Directory.CreateDirectory(outFolder);
        string md = Path.Combine(outFolder, MarkdownFile), csv = Path.Combine(outFolder, CsvFile);
        AtomicFile.WriteAllText(csv, Csv(results));
        AtomicFile.WriteAllText(md, Markdown(metric, names, results, improvements, singleSweep, resamples, seed));
        return new Result(results, improvements, singleSweep, names, md, csv);
    }

    /// <summary>Min–max within the sweep, 1 = its best run; a sweep whose runs all score the same ranks nothing and gives each 0.5.</summary>
    public static double Normalize(double value, double min, double max, bool higherIsBetter) =>
        max == min ? 0.5 : higherIsBetter ? (value - min) / (max - min) : (max - value) / (max - min);

    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    static string Csv(IReadOnlyList<VariantScore> results)
    {
        var sb = new StringBuilder(CsvHeader).Append('\n');
        foreach (var r in results)
            sb.Append(CultureInfo.InvariantCulture,
                $"{r.Variant},{string.Join(';', r.Sweeps)},{string.Join(';', r.MissingFrom)},{r.Runs},{r.Diverged},{F(r.Iqm)},{F(r.Ci.Low)},{F(r.Ci.High)}\n");
        return sb.ToString();
    }

    static string Markdown(ComparisonMetric metric, IReadOnlyList<string> sweeps, IReadOnlyList<VariantScore> results, IReadOnlyList<Improvement> improvements,
        IReadOnlyList<(string Variant, string Sweep)> singleSweep, int resamples, ulong seed)
    {
        var md = new StringBuilder($"# Across sweeps: {metric.Key}\n\n");
        md.AppendLine($"Sweeps (tasks): {string.Join(", ", sweeps.Select(s => $"`{s}`"))}. **Normalization**: per-sweep min–max of `{metric.Key}` " +
            $"over that sweep's finished, non-diverged runs of every variant, {(metric.HigherIsBetter ? "(x − min)/(max − min)" : "(max − x)/(max − min), lower being better")}, " +
            "so 1 is the sweep's best run and 0 its worst (0.5 for all when they tie). It depends on which variants a sweep ran. " +
            $"**IQM**: the mean of the middle 50 % of a variant's normalized (sweep, seed) scores (Agarwal et al. 2021); **95 % CI**: stratified percentile bootstrap, " +
            $"each sweep's runs resampled within the sweep ({resamples} resamples, seed {seed}). Diverged runs are left out and counted.\n");
        md.AppendLine("| variant | IQM [95 % CI] | runs | sweeps | missing from | diverged (left out) |\n|---|---|---|---|---|---|");
        foreach (var r in results)
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Variant} | {r.Iqm:0.000} [{r.Ci.Low:0.000}, {r.Ci.High:0.000}] | {r.Runs} | {r.Sweeps.Count} | {(r.MissingFrom.Count == 0 ? "–" : string.Join(", ", r.MissingFrom))} | {r.Diverged} |");
        md.AppendLine();
        if (singleSweep.Count > 0)
            md.AppendLine($"Not aggregated (scored runs in one sweep only): {string.Join(", ", singleSweep.Select(s => $"`{s.Variant}` ({s.Sweep})"))}.\n");
        if (improvements.Count > 0)
        {
            md.AppendLine("## Probability of improvement\n");
            md.AppendLine("P(row > column): within each sweep both ran, the share of (row run, column run) pairs where the row scores higher (ties count ½), " +
                "averaged over those sweeps. A point estimate, without an interval.\n");
            md.AppendLine("| P(row > column) | " + string.Join(" | ", results.Select(r => r.Variant)) + " |");
            md.AppendLine("|---|" + string.Concat(results.Select(_ => "---|")));
            foreach (var x in results)
                md.AppendLine($"| {x.Variant} | " + string.Join(" | ", results.Select(y =>
                    improvements.FirstOrDefault(i => i.Variant == x.Variant && i.Other == y.Variant) is { } i
                        ? i.Probability.ToString("0.00", CultureInfo.InvariantCulture) : "–")) + " |");
            md.AppendLine();
        }
        return md.ToString();
    }
}
