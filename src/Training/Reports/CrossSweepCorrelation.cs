using System.Globalization;
using System.Text;
using TrainKit.IO;
using TrainKit.Training.Config;

namespace TrainKit.Training.Reports;

/// <summary>
/// `trainkit correlate`: which measure of the final model predicts its generalization gap, over the finished runs of
/// several sweeps, the way Jiang et al. 2020 ask it (<see cref="CorrelationSelection"/> picks the runs,
/// <see cref="JiangCorrelation"/> computes the rows). Pool sweeps of one model family and dataset: τ across different
/// tasks mixes scales that do not compare. Writes correlation.md and correlation.csv into the output folder.
/// </summary>
public static class CrossSweepCorrelation
{
    public sealed record Result(CorrelationSelection Selection, IReadOnlyList<JiangCorrelation.Row> Rows, string Markdown, string Csv);

    public const string MarkdownFile = "correlation.md";
    public const string CsvFile = "correlation.csv";

    public static Result Build(IReadOnlyList<string> sweepDirectories, CorrelationOptions options, string outFolder)
    {
        options = options.Validated();
        var selection = CorrelationSelection.Load(sweepDirectories, options);
        var rows = JiangCorrelation.Of(selection, options);
        if (rows.Count == 0)
            throw new InvalidOperationException($"fewer than {JiangCorrelation.MinimumRuns} usable runs with a sharpness analysis and a summary in " +
                $"{string.Join(", ", sweepDirectories)} ({selection.Runs.Count} kept, {selection.Excluded.Count} left out: {Counts(selection.Excluded)})");
        Directory.CreateDirectory(outFolder);
        string md = Path.Combine(outFolder, MarkdownFile), csv = Path.Combine(outFolder, CsvFile);
        AtomicFile.WriteAllText(csv, Csv(selection, rows));
        AtomicFile.WriteAllText(md, Markdown(selection, rows, options));
        return new Result(selection, rows, md, csv);
    }

    static string Counts(IReadOnlyList<ExcludedRun> excluded) =>
        excluded.Count == 0 ? "none" : string.Join(", ", excluded.GroupBy(e => e.Reason).Select(g => $"{g.Count()} {Describe(g.Key)}"));

    /// <summary>How the report names a reason for leaving a run out.</summary>
    public static string Describe(Exclusion reason) => reason switch
    {
        Exclusion.NoSummary => "without summary.json",
        Exclusion.Diverged => "diverged",
        Exclusion.AtChance => "stuck at chance",
        Exclusion.NeverReachedStop => "never reached the stopping train loss",
        Exclusion.NoAnalysis => "without analysis.json",
        _ => reason.ToString(),
    };

    static string F(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";
    static string Signed(double value) => double.IsFinite(value) ? value.ToString("+0.000;−0.000;0.000", CultureInfo.InvariantCulture) : "–";

    public static string PsiColumn(string axis) => $"psi[{axis}]";

    public static string Header(IReadOnlyList<string> axes) =>
        "gap,measure,baseline,runs,configurations,tau,tau_ci_low,tau_ci_high,partial_tau_given_train_loss,psi" +
        string.Concat(axes.Select(a => "," + PsiColumn(a)));

    static string Csv(CorrelationSelection selection, IReadOnlyList<JiangCorrelation.Row> rows)
    {
        var sb = new StringBuilder(Header(selection.Axes)).Append('\n');
        foreach (var r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Gap.Key},{r.Measure.Key},{(r.Measure.Baseline ? 1 : 0)},{r.Runs},{r.Configurations},");
            sb.Append($"{F(r.Tau)},{F(r.TauCi.Low)},{F(r.TauCi.High)},{F(r.PartialTau)},{F(r.Granulated?.Psi ?? double.NaN)}");
            foreach (string axis in selection.Axes)
                sb.Append(',').Append(F(r.Granulated?.PerAxis.GetValueOrDefault(axis, double.NaN) ?? double.NaN));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    static string Markdown(CorrelationSelection selection, IReadOnlyList<JiangCorrelation.Row> rows, CorrelationOptions options)
    {
        var md = new StringBuilder("# Sharpness vs generalization\n\n");
        int configurations = selection.Runs.Select(r => r.Configuration).Distinct().Count();
        md.AppendLine(CultureInfo.InvariantCulture, $"Kendall's τ-b between each measure of the final model and its generalization gap, the way Jiang et al. 2020 " +
            $"ask it, over {selection.Runs.Count} runs ({configurations} configurations: a sweep's variant; its seeds are runs of one configuration) " +
            $"of {string.Join(", ", selection.Sweeps.Select(s => $"`{s}`"))}.\n");
        md.AppendLine("**Reading the rows.** Every measure but σ′ grows with sharpness, so τ > 0 means sharper solutions generalize worse; " +
            "PAC-Bayes σ′ grows with flatness, so there the same finding reads τ < 0 (its flatness 1/σ′² row reads like the others). " +
            "The two baselines are not sharpness measures: a measure is only informative where it ranks the gap better than they do, " +
            "and where its partial τ given the train loss stays away from 0.\n");

        md.AppendLine("## Which runs\n");
        md.AppendLine(CultureInfo.InvariantCulture, $"- **Stuck at chance** (left out): a classifier whose test accuracy is at most 1/classes + {options.ChanceMargin:0.###}; diverged runs are left out too.");
        md.AppendLine(options.StopAtTrainLoss is double stop
            ? string.Create(CultureInfo.InvariantCulture, $"- **Stopping criterion**: final train loss ≤ {stop:0.####} (summary.json `train.loss`, the final model on the training split). ") +
              "TrainKit analyses only the final model, so a run cannot be measured at the step where it first reached the loss: " +
              "runs whose final train loss is above it are left out and counted as never reached; the others keep their final-model measures and gaps."
            : "- **Stopping criterion**: none (`--stop-at-train-loss` not given): runs are compared at their final model, whatever train loss they reached.");
        var budgets = selection.Budgets.Select(b => b.Budget).Distinct().ToList();
        md.AppendLine(budgets.Count == 1
            ? $"- **Analysis**: every run was analysed with {budgets[0]}."
            : $"- **Analysis budgets pooled on request** (`--pool-budgets`): {string.Join("; ", selection.Budgets.Select(b => $"`{b.Sweep}`: {b.Budget}"))}. Figures from different budgets are estimates of different precision on different examples.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- **Left out**: {selection.Excluded.Count} of {selection.Excluded.Count + selection.Runs.Count} finished runs ({Counts(selection.Excluded)}).\n");
        if (selection.Excluded.Count > 0)
        {
            md.AppendLine("| sweep | run | left out because | detail |\n|---|---|---|---|");
            foreach (var e in selection.Excluded) md.AppendLine($"| {e.Sweep} | {e.Cell} | {Describe(e.Reason)} | {e.Detail} |");
            md.AppendLine();
        }

        md.AppendLine("## Columns\n");
        md.AppendLine(CultureInfo.InvariantCulture, $"- **τ [95 % CI]**: Kendall's τ-b over the runs; the interval is a percentile bootstrap over configurations " +
            $"({options.Resamples} resamples, seed {options.Seed}): each resample draws configurations with replacement and keeps all their seeds.");
        md.AppendLine("- **Ψ**: granulated τ: for each hyperparameter axis, the mean τ over groups of configurations equal on every other axis " +
            "(ψ of that axis), then the mean over axes. Computed on each configuration's mean over its seeds. " +
            (selection.Axes.Count == 0
                ? "Not computed here: the configurations do not differ in any configuration key."
                : $"Axes (the configuration keys the kept configurations differ in; `{HyperparameterAxes.Schedule}` is the whole schedule block): {string.Join(", ", selection.Axes.Select(a => $"`{a}`"))}."));
        md.AppendLine("- **partial τ | train loss**: Kendall's partial τ of the measure and the gap given the final train loss, (τ_mg − τ_ml·τ_gl)/√((1 − τ_ml²)(1 − τ_gl²)); – where undefined.");
        md.AppendLine("- correlation.csv has the same numbers, one row per (gap, measure): " +
            $"`{Header(selection.Axes)}` (ψ per axis in `{PsiColumn("axis")}`; `baseline` is 1 for the two baselines).\n");

        var absent = CorrelationMeasure.All.Where(m => rows.All(r => r.Measure.Key != m.Key)).Select(m => m.Title).ToList();
        if (absent.Count > 0)
            md.AppendLine($"Measures without a row (fewer than {JiangCorrelation.MinimumRuns} kept runs have them; the analysis budget may not compute them): {string.Join(", ", absent)}.\n");
        foreach (var gap in rows.GroupBy(r => r.Gap.Key))
        {
            md.AppendLine($"## τ with the {gap.First().Gap.Title}\n");
            md.Append("| measure | τ [95 % CI] | Ψ |");
            foreach (string axis in selection.Axes) md.Append($" ψ `{axis}` |");
            md.AppendLine(" partial τ \\| train loss | runs | configurations |");
            md.AppendLine("|---|---|---|" + string.Concat(selection.Axes.Select(_ => "---|")) + "---|---|---|");
            foreach (var r in gap)
            {
                md.Append($"| {r.Measure.Title} | {Signed(r.Tau)} [{Signed(r.TauCi.Low)}, {Signed(r.TauCi.High)}] | {Signed(r.Granulated?.Psi ?? double.NaN)} |");
                foreach (string axis in selection.Axes) md.Append($" {Signed(r.Granulated?.PerAxis.GetValueOrDefault(axis, double.NaN) ?? double.NaN)} |");
                md.AppendLine(CultureInfo.InvariantCulture, $" {Signed(r.PartialTau)} | {r.Runs} | {r.Configurations} |");
            }
            md.AppendLine();
        }
        return md.ToString();
    }
}
