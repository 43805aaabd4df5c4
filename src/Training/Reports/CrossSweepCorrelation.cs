using System.Globalization;
using System.Text;

namespace TrainKit.Training.Reports;

/// <summary>
/// Sharpness against generalization over the finished runs of several sweeps (the issue's "across all runs"):
/// Kendall's τ of every sharpness measure with the loss gap and with the accuracy gap, pooled and per sweep.
/// Pool sweeps of one model family and dataset: τ across different tasks mixes scales that do not compare.
/// Writes correlation.md and correlation.csv into the output folder.
/// </summary>
public static class CrossSweepCorrelation
{
    public sealed record Row(string Scope, string Gap, string Measure, double Tau, int Cells);

    public static IReadOnlyList<Row> Build(IReadOnlyList<string> sweepDirectories, string outFolder)
    {
        if (sweepDirectories.Count == 0) throw new ArgumentException("give at least one sweep folder");
        var perSweep = sweepDirectories.Select(d => (Name: Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(d))), Cells: ReportBuilder.FinishedCells(d))).ToList();
        var pooled = perSweep.SelectMany(s => s.Cells).ToList();
        var rows = new List<Row>();
        foreach (var (scope, cells) in perSweep.Count > 1 ? [("all", pooled), .. perSweep] : perSweep)
            foreach (var (gapKey, gapTitle) in new[] { ("loss_gap", "test − train loss"), ("accuracy_gap", "train − test accuracy") })
                rows.AddRange(SharpnessCorrelation.WithGap(cells, gapKey).Select(c => new Row(scope, gapTitle, c.Measure, c.Tau, c.Cells)));
        if (rows.Count == 0)
            throw new InvalidOperationException($"no finished cell with both a sharpness analysis and a summary in {string.Join(", ", sweepDirectories)} (at least 3 are needed)");

        Directory.CreateDirectory(outFolder);
        var csv = new StringBuilder("scope,gap,measure,tau,cells\n");
        foreach (var r in rows) csv.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{r.Scope},{r.Gap},{r.Measure},{r.Tau:R},{r.Cells}"));
        File.WriteAllText(Path.Combine(outFolder, "correlation.csv"), csv.ToString());

        var md = new StringBuilder("# Sharpness vs generalization\n\n");
        md.AppendLine($"Kendall's τ-b between each sharpness measure of the final model and its generalization gap, over the finished cells of: {string.Join(", ", perSweep.Select(s => $"`{s.Name}` ({s.Cells.Count} cells)"))}. " +
                      "For λ_max, trace, ε- and ρ-sharpness τ > 0 means sharper solutions generalize worse; PAC-Bayes σ′ grows with " +
                      "flatness, so there the same finding reads τ < 0. Diverged cells are left out.\n");
        foreach (var scope in rows.GroupBy(r => r.Scope))
        {
            md.AppendLine($"## {(scope.Key == "all" ? "All sweeps pooled" : scope.Key)}\n");
            md.AppendLine("| measure | τ with test − train loss | τ with train − test accuracy | cells |\n|---|---|---|---|");
            foreach (var measure in scope.GroupBy(r => r.Measure))
            {
                string Tau(string gap) => measure.FirstOrDefault(r => r.Gap == gap)?.Tau.ToString("+0.000;−0.000;0.000", CultureInfo.InvariantCulture) ?? "–";
                md.AppendLine($"| {measure.Key} | {Tau("test − train loss")} | {Tau("train − test accuracy")} | {measure.Max(r => r.Cells)} |");
            }
            md.AppendLine();
        }
        File.WriteAllText(Path.Combine(outFolder, "correlation.md"), md.ToString());
        return rows;
    }
}
