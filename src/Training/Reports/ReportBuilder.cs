using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TrainKit.IO;
using TrainKit.Training.Experiments;

namespace TrainKit.Training.Reports;

/// <summary>The aggregated results of a sweep, one row per variant.</summary>
public sealed record VariantSummary(string Variant, int Seeds, int Diverged, IReadOnlyDictionary<string, MeanStd?> Measures);

/// <summary>
/// Builds OUT/report/: report.html (one self-contained file: tables and inline SVG charts, no network),
/// the charts as PNG and SVG, summary.csv and summary.md, from whatever cells have finished.
/// </summary>
public static class ReportBuilder
{
    public sealed record Result(string Folder, string Html, IReadOnlyList<VariantSummary> Summaries, IReadOnlyList<CellRecord> Cells, IReadOnlyList<ClaimVerdict> Verdicts)
    {
        public IReadOnlyList<ComparisonRow> Comparison { get; init; } = [];
    }

    public static Result Build(string sweepDirectory, Func<IReadOnlyList<CellRecord>, IReadOnlyList<VariantSummary>, IEnumerable<ClaimVerdict>>? judge = null,
        string? command = null, IReadOnlyList<ReportFigure>? figures = null)
    {
        ExperimentSpec spec = Sweep.ReadLayout(sweepDirectory);
        var sweep = new Sweep(spec, sweepDirectory);
        var allCells = sweep.Cells();
        var cells = FinishedCells(sweep, allCells);
        string folder = Path.Combine(sweepDirectory, "report");
        Directory.CreateDirectory(folder);

        var summaries = spec.Variants.Select(v => v.Name)
            .Select(name => (name, cells: cells.Where(c => c.Variant == name).ToList()))
            .Where(g => g.cells.Count > 0)
            .Select(g => new VariantSummary(g.name, g.cells.Count, g.cells.Count(c => c.Diverged),
                SummaryMeasure.Standard.ToDictionary(m => m.Key, m => MeanStd.Of(g.cells.Where(c => !c.Diverged).Select(m.Read)))))
            .ToList();
        var measures = SummaryMeasure.Standard.Where(m => summaries.Any(s => s.Measures[m.Key] is not null)).ToList();
        var verdicts = judge?.Invoke(cells, summaries).ToList() ?? [];
        var correlations = SharpnessCorrelation.WithGap(cells);
        var curves = FinalMetricCurves.For(spec.Name);
        var comparison = ComparisonTable.Build(spec, cells, curves is null ? null : FinalMetricCurves.Baselines(curves));

        var charts = new ChartSet(Path.Combine(folder, "charts"));
        DrawCharts(charts, cells, summaries, curves, allCells.Select(c => c.Config.BatchSize).Distinct().Count() > 1);

        var provenance = Provenance.Of(allCells, command, sweepDirectory);
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.csv"), Csv(summaries, measures));
        AtomicFile.WriteAllText(Path.Combine(folder, ComparisonTable.FileName), ComparisonTable.Csv(comparison));
        AtomicFile.WriteAllText(Path.Combine(folder, CellsCsv.FileName), CellsCsv.Write(spec, allCells, cells));
        AtomicFile.WriteAllText(Path.Combine(folder, Provenance.FileName), Provenance.Serialize(provenance));
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.md"), Markdown(spec, summaries, measures, verdicts, allCells.Count, cells.Count) + ComparisonTable.Markdown(comparison)
            + string.Concat((figures ?? []).Select(f => $"\n{f.Caption}\n\n![{f.File}]({f.File})\n")) + ProvenanceMarkdown(provenance));
        string html = Path.Combine(folder, "report.html");
        AtomicFile.WriteAllText(html, Html(spec, summaries, measures, verdicts, comparison, correlations, charts, allCells.Count, cells.Count, command, provenance, folder, figures ?? []));
        return new Result(folder, html, summaries, cells, verdicts) { Comparison = comparison };
    }

    /// <summary>The cells of a sweep folder that have finished, read from disk.</summary>
    public static List<CellRecord> FinishedCells(string sweepDirectory)
    {
        var sweep = new Sweep(Sweep.ReadLayout(sweepDirectory), sweepDirectory);
        return FinishedCells(sweep, sweep.Cells());
    }

    static List<CellRecord> FinishedCells(Sweep sweep, IEnumerable<Cell> cells) =>
        [.. cells.Where(sweep.IsDone).Select(c => CellRecord.Load(sweep.CellDirectory(c), c.Variant, c.Seed))];

    static void DrawCharts(ChartSet charts, List<CellRecord> cells, List<VariantSummary> summaries, FinalMetricCurves.Figure? curves, bool batchSizesDiffer)
    {
        // Steps mean different amounts of data when batch sizes differ: then training curves run over epochs.
        string x = batchSizesDiffer ? "epoch" : "step";
        IReadOnlyList<(double[] X, double[] Y)> PerSeed(string variant, string column) =>
            [.. cells.Where(c => c.Variant == variant && !c.Diverged).OrderBy(c => c.Seed).Select(c => c.Series(column, x))];
        // Schedules are identical across seeds: draw each variant's first seed that did not diverge (a diverged run may stop before its first log).
        var first = summaries.Select(s => cells.Where(c => c.Variant == s.Variant).OrderBy(c => c.Diverged).First()).ToList();
        charts.Lines("lr", "Learning rate", "step", "lr", first.Select(c => Labelled(c.Variant, c.Series("lr"))));
        if (first.Any(c => Varies(c.Series("weight_decay").Values)))
            charts.Lines("weight_decay", "Weight decay", "step", "weight decay", first.Select(c => Labelled(c.Variant, c.Series("weight_decay"))));
        if (first.Any(c => Varies(c.Series("momentum").Values)))
            charts.Lines("momentum", "Momentum / β1", "step", "momentum", first.Select(c => Labelled(c.Variant, c.Series("momentum"))));
        if (first.Any(c => c.Series("weight_norm").Values.Length > 0))
        {
            charts.Lines("weight_norm", "Weight norm ‖w‖ (mean over seeds)", "step", "‖w‖", summaries.Select(s => Labelled(s.Variant, MeanSeries(cells, s.Variant, "weight_norm"))));
            charts.Lines("effective_lr", "Effective lr = lr / ‖w‖² (mean over seeds)", "step", "lr / ‖w‖²",
                summaries.Select(s => Labelled(s.Variant, EffectiveLr(cells, s.Variant))), logY: true);
        }
        charts.SeedLines("train_loss", "Training loss (thin: each seed; band: min–max)", x, "loss (log scale)", summaries.Select(s => (s.Variant, PerSeed(s.Variant, "train_loss"))), logY: true);
        charts.SeedLines("test_loss", "Test loss (thin: each seed; band: min–max)", x, "loss (log scale)", summaries.Select(s => (s.Variant, PerSeed(s.Variant, "test_eval_loss"))), logY: true);
        charts.SeedLines("test_accuracy", "Test accuracy (thin: each seed; band: min–max)", x, "accuracy", summaries.Select(s => (s.Variant, PerSeed(s.Variant, "test_accuracy"))));
        foreach (var key in new[] { "test_accuracy", "test_loss" })
        {
            var measure = SummaryMeasure.Standard.First(m => m.Key == key);
            charts.SeedDots($"final_{key}_per_seed", $"Final {measure.Title} per seed (bar: mean; whisker: 95 % t interval)", measure.Title,
                [.. summaries.Select(s => (s.Variant, cells.Where(c => c.Variant == s.Variant && !c.Diverged).Select(measure.Read).Where(v => v is not null).Select(v => v!.Value).ToArray()))]);
        }
        if (curves is { } figure)
        {
            var measure = SummaryMeasure.Standard.First(m => m.Key == figure.MetricKey);
            double[] Finals(string variant) => [.. cells.Where(c => c.Variant == variant && !c.Diverged).Select(measure.Read).Where(v => v is not null).Select(v => v!.Value)];
            double[] xs = [.. figure.Curves.SelectMany(c => c.Points).Select(p => p.X)];
            // A diverged run has no final metric: the curve's label says how many its means leave out.
            string Label(FinalMetricCurves.Curve curve) => curve.Points.Sum(p => cells.Count(c => c.Variant == p.Variant && c.Diverged)) is int n and > 0
                ? $"{curve.Label} ({n} diverged run{(n == 1 ? "" : "s")} left out)" : curve.Label;
            charts.MeanLines("final_vs_x", $"Final {measure.Title} vs {figure.XLabel.Split(' ')[0]} (mean; whisker: 95 % t interval)", figure.XLabel, measure.Title,
                [.. figure.Curves.Select(curve => (Label(curve), (IReadOnlyList<(double, double[])>)[.. curve.Points.Select(p => (p.X, Finals(p.Variant)))]))],
                logX: xs.Max() / xs.Min() > 4); // x values 8× apart or more: equal spacing per doubling
        }
        var lambda = SummaryMeasure.Standard.First(m => m.Key == "lambda_max");
        var gap = SummaryMeasure.Standard.First(m => m.Key == "loss_gap");
        charts.Scatter("sharpness_vs_gap", "λ_max of the final model against its loss gap, one marker per run", lambda.Title, gap.Title,
            [.. summaries.Select(s =>
            {
                var points = cells.Where(c => c.Variant == s.Variant && !c.Diverged && lambda.Read(c) is not null && gap.Read(c) is not null).ToList();
                return (s.Variant, points.Select(c => lambda.Read(c)!.Value).ToArray(), points.Select(c => gap.Read(c)!.Value).ToArray());
            })]);
        charts.Lines("sharpness_during_training", "λ_max during training", "step", "λ_max", summaries.Select(s => Labelled(s.Variant, MeanSeries(cells, s.Variant, "lambda_max"))),
            references: StabilityThresholds(first));
        charts.Lines("snapshot_ensemble", "Snapshot ensembles: test accuracy (mean over seeds)", "snapshots averaged (m)", "accuracy",
            summaries.Select(s => Labelled(s.Variant, EnsembleCurve(cells, s.Variant))));
        foreach (var key in new[] { "lambda_max", "trace", "pac_bayes_sigma" })
        {
            var measure = SummaryMeasure.Standard.First(m => m.Key == key);
            var bars = summaries.Where(s => s.Measures[key] is not null).Select(s => (s.Variant, s.Measures[key]!.Value)).ToList();
            charts.Bars($"final_{key}", $"{measure.Title} of the final model", measure.Title, bars);
        }
        charts.Lines("landscape_1d", "1D loss landscape (filter-normalized direction)", "α", "train loss",
            first.Select(c => Labelled(c.Variant, CsvSeries(Path.Combine(c.Folder, "landscape_1d.csv")))));
    }

    /// <summary>lr/‖w‖² at every logged step, mean over seeds: the step size a BatchNorm-ed (scale-invariant)
    /// weight actually takes, which is how weight decay changes training under BatchNorm.</summary>
    static (double[] X, double[] Y) EffectiveLr(List<CellRecord> cells, string variant)
    {
        var (steps, lr) = MeanSeries(cells, variant, "lr");
        var (normSteps, norm) = MeanSeries(cells, variant, "weight_norm");
        var byStep = normSteps.Zip(norm).ToDictionary(p => p.First, p => p.Second);
        var points = steps.Zip(lr).Where(p => byStep.ContainsKey(p.First) && byStep[p.First] > 0).ToList();
        return ([.. points.Select(p => p.First)], [.. points.Select(p => p.Second / (byStep[p.First] * byStep[p.First]))]);
    }

    /// <summary>2/η for the variants trained by plain gradient descent at a constant lr (no momentum): the
    /// level λ_max cannot stay above without the iteration becoming unstable along the top eigenvector.</summary>
    static Dictionary<string, (string, double)> StabilityThresholds(List<CellRecord> first)
    {
        var thresholds = new Dictionary<string, (string, double)>();
        foreach (var cell in first)
        {
            double[] lr = cell.Series("lr").Values, momentum = cell.Series("momentum").Values;
            if (lr.Length > 0 && !Varies(lr) && lr[0] > 0 && momentum.All(m => m == 0))
                thresholds[cell.Variant] = ($"2/η = {2 / lr[0]:0.#} ({cell.Variant})", 2 / lr[0]);
        }
        return thresholds;
    }

    /// <summary>Ensemble accuracy against the number of snapshots averaged, mean over the seeds that kept them.</summary>
    static (double[] X, double[] Y) EnsembleCurve(List<CellRecord> cells, string variant)
    {
        var curves = cells.Where(c => c.Variant == variant && c.Ensemble?["ensembles"] is JsonArray)
            .Select(c => c.Ensemble!["ensembles"]!.AsArray().Select(e => (M: CellRecord.Number(e, "members"), A: CellRecord.Number(e, "test_accuracy")))
                .Where(p => p.M is not null && p.A is not null).ToDictionary(p => p.M!.Value, p => p.A!.Value))
            .ToList();
        if (curves.Count == 0) return ([], []);
        double[] members = [.. curves.Select(c => c.Keys.ToHashSet()).Aggregate((a, b) => { a.IntersectWith(b); return a; }).Order()];
        return (members, [.. members.Select(m => curves.Average(c => c[m]))]);
    }

    static (string, double[], double[]) Labelled(string label, (double[] X, double[] Y) s) => (label, s.X, s.Y);

    static bool Varies(double[] values) => values.Length > 1 && values.Max() - values.Min() > 1e-12 * Math.Max(1, Math.Abs(values.Max()));

    /// <summary>The mean over seeds of a metric at each step that every seed logged.</summary>
    static (double[] X, double[] Y) MeanSeries(List<CellRecord> cells, string variant, string column)
    {
        var series = cells.Where(c => c.Variant == variant).Select(c => c.Series(column)).Where(s => s.Steps.Length > 0).ToList();
        if (series.Count == 0) return ([], []);
        var steps = series.Select(s => s.Steps.ToHashSet()).Aggregate((a, b) => { a.IntersectWith(b); return a; }).Order().ToArray();
        var y = steps.Select(step => series.Average(s => s.Values[Array.IndexOf(s.Steps, step)])).ToArray();
        return (steps, y);
    }

    /// <summary>A two-column CSV with a header (x,y), as the analysis writes landscapes; empty if absent.</summary>
    static (double[] X, double[] Y) CsvSeries(string path)
    {
        if (!File.Exists(path)) return ([], []);
        var rows = File.ReadLines(path).Skip(1).Select(l => l.Split(','))
            .Where(p => p.Length >= 2 && double.TryParse(p[0], CultureInfo.InvariantCulture, out _) && double.TryParse(p[1], CultureInfo.InvariantCulture, out _))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
        return (rows.Select(r => r.Item1).ToArray(), rows.Select(r => r.Item2).ToArray());
    }

    static string Csv(List<VariantSummary> summaries, List<SummaryMeasure> measures)
    {
        var sb = new StringBuilder("variant,seeds,diverged");
        foreach (var m in measures) sb.Append($",{m.Key}_mean,{m.Key}_std");
        sb.AppendLine();
        foreach (var s in summaries)
        {
            sb.Append($"{s.Variant},{s.Seeds},{s.Diverged}");
            foreach (var m in measures)
                sb.Append(s.Measures[m.Key] is MeanStd v ? FormattableString.Invariant($",{v.Mean:R},{v.Std:R}") : ",,");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    static string Markdown(ExperimentSpec spec, List<VariantSummary> summaries, List<SummaryMeasure> measures, List<ClaimVerdict> verdicts, int total, int done)
    {
        var sb = new StringBuilder($"# {spec.Name}\n\n{spec.Description}\n\n{(ClaimAnchors.For(spec.Name) is string anchors ? $"Anchors: {anchors}\n\n" : "")}{done} of {total} cells finished.\n\n");
        sb.AppendLine("| variant | seeds | diverged | " + string.Join(" | ", measures.Select(m => m.Title)) + " |");
        sb.AppendLine("|---|---|---|" + string.Concat(measures.Select(_ => "---|")));
        foreach (var s in summaries)
            sb.AppendLine($"| {s.Variant} | {s.Seeds} | {s.Diverged} | " + string.Join(" | ", measures.Select(m => s.Measures[m.Key]?.ToString(m.Format) ?? "–")) + " |");
        foreach (var v in verdicts)
            sb.AppendLine($"\n**{v.OutcomeName}** ({v.Seeds} seeds): {v.Claim}\n\n{v.Evidence}\n\nPer seed: {v.PerSeed}");
        return sb.ToString();
    }

    static string ProvenanceMarkdown(Provenance.Document p) =>
        $"\n## Provenance\n\nBuilt from commit `{p.Commit}`{(p.Dirty ? " (with uncommitted changes to tracked files)" : "")}. " +
        $"SHA-256 of every cell's resolved configuration: `{Provenance.FileName}` and the `config_sha256` column of `{CellsCsv.FileName}`.\n";

    static string Html(ExperimentSpec spec, List<VariantSummary> summaries, List<SummaryMeasure> measures, List<ClaimVerdict> verdicts,
        IReadOnlyList<ComparisonRow> comparison, IReadOnlyList<SharpnessCorrelation> correlations, ChartSet charts, int total, int done, string? command,
        Provenance.Document provenance, string folder, IReadOnlyList<ReportFigure> figures)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(spec.Name)}} — TrainKit report</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
            table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
            th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            .verdict { padding: 0.6rem 1rem; margin: 1rem 0; border-left: 6px solid; }
            .reproduced { border-color: #2a7; background: #eef9f3; } .not_reproduced { border-color: #c44; background: #fbeeee; }
            .inconclusive { border-color: #c90; background: #fdf6e3; } .not_testable { border-color: #888; background: #f2f2f2; }
            figure { display: inline-block; margin: 0.5rem; } figcaption { font-size: 0.85rem; color: #555; }
            code { background: #f4f4f4; padding: 0.1rem 0.3rem; }
            </style></head><body>
            <h1>{{E(spec.Name)}}</h1>
            <p>{{E(spec.Description)}}</p>
            {{(ClaimAnchors.For(spec.Name) is string anchors ? $"<p class=\"anchors\"><b>Anchors.</b> {E(anchors)}</p>" : "")}}
            <p>{{done}} of {{total}} cells finished. Generated {{DateTime.UtcNow:yyyy-MM-dd HH:mm}} UTC on {{E(Environment.MachineName)}}
            ({{Environment.ProcessorCount}} cores){{(command is null ? "" : $"; command: <code>{E(command)}</code>")}};
            commit <code>{{E(provenance.Commit)}}</code>{{(provenance.Dirty ? " (with uncommitted changes)" : "")}}. Per-cell values: <a href="cells.csv">cells.csv</a>.</p>
            """);
        foreach (var v in verdicts)
            sb.Append($"<div class=\"verdict {v.OutcomeName}\"><b>{v.OutcomeName}</b> ({v.Seeds} seeds): {E(v.Claim)}<br>{E(v.Evidence)}<br><small>Per seed: {E(v.PerSeed)}</small></div>\n");
        if (spec.Claim is not null && verdicts.Count == 0)
            sb.Append($"<div class=\"verdict inconclusive\"><b>Claim not yet decided</b> (cells missing): {E(spec.Claim)}</div>\n");
        sb.Append("<h2>Summary (mean ± std over seeds)</h2>\n<table><tr><th>variant</th><th>seeds</th><th>diverged</th>");
        foreach (var m in measures) sb.Append($"<th>{E(m.Title)}</th>");
        sb.Append("</tr>\n");
        foreach (var s in summaries)
        {
            sb.Append($"<tr><td>{E(s.Variant)}</td><td>{s.Seeds}</td><td>{s.Diverged}</td>");
            foreach (var m in measures) sb.Append($"<td>{E(s.Measures[m.Key]?.ToString(m.Format) ?? "–")}</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</table>\n");
        sb.Append(ComparisonTable.Html(comparison));
        if (correlations.Count > 0)
        {
            sb.Append($"<h2>Sharpness vs generalization across the finished runs</h2>\n<p>Kendall τ-b between each measure of the " +
                $"final model and the loss gap (test − train), pooled over runs; the 95 % interval resamples variants, not seeds " +
                $"(Jiang et al. 2020). A sharpness measure says something only where its interval excludes 0 and it ranks the gap " +
                $"better than the baselines; with few variants the intervals are wide. <code>trainkit correlate</code> adds partial τ " +
                $"given the train loss and a common stopping criterion.</p>\n" +
                "<table><tr><th>measure</th><th>Kendall τ with the loss gap</th><th>95 % CI (variants resampled)</th><th>runs</th><th>variants</th></tr>\n");
            foreach (var c in correlations)
                sb.Append($"<tr><td>{E(c.Measure)}</td><td>{c.Tau:F3}</td><td>[{c.Ci.Low:F3}, {c.Ci.High:F3}]</td><td>{c.Cells}</td><td>{c.Variants}</td></tr>\n");
            sb.Append("</table>\n");
        }
        sb.Append("<h2>Charts</h2>\n");
        foreach (var (name, title, svg) in charts.Charts)
            sb.Append($"<figure class=\"chart\" id=\"chart-{name}\">{svg}<figcaption>{E(title)} (<a href=\"charts/{name}.png\">PNG</a>, <a href=\"charts/{name}.svg\">SVG</a>)</figcaption></figure>\n");
        foreach (var f in figures)
            sb.Append($"<figure class=\"chart\"><img style=\"max-width: 100%\" alt=\"{E(f.Caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(Path.Combine(folder, f.File)))}\"><figcaption>{E(f.Caption)} (<a href=\"{E(f.File)}\">PNG</a>)</figcaption></figure>\n");
        sb.Append("</body></html>\n");
        return sb.ToString();
    }
}
