using System.Globalization;
using System.Text;
using TrainKit.Training.Experiments;

namespace TrainKit.Training.Reports;

/// <summary>
/// report/cells.csv: one row per finished cell, so any "n of 3 seeds" in a report can be audited. Columns: the
/// cell, its final metrics, test accuracy at each of the experiment's snapshot epochs (the claim checkpoints of
/// the restarts preset), the diverged flag, a <c>no_progress</c> flag (final train loss ≥ 95 % of the first logged
/// one: the run did not learn; claim rules such as the Post-LN one apply their own, stated threshold), the analysis
/// subset and budget, and the SHA-256 of the resolved configuration.
/// </summary>
public static class CellsCsv
{
    public const string FileName = "cells.csv";
    static readonly string[] Finals = ["train_loss", "test_loss", "test_accuracy", "loss_gap", "accuracy_gap"];

    public static string Write(ExperimentSpec spec, IReadOnlyList<Cell> cells, IReadOnlyList<CellRecord> finished)
    {
        var checkpoints = spec.Base.SnapshotEpochs;
        var sb = new StringBuilder("cell,variant,seed,");
        sb.Append(string.Join(',', Finals));
        foreach (double e in checkpoints) sb.Append(string.Create(CultureInfo.InvariantCulture, $",test_accuracy_at_epoch{e}"));
        sb.Append(",diverged,no_progress,analysis_examples,analysis_budget,config_sha256\n");
        var byName = cells.ToDictionary(c => c.Name);
        foreach (var record in finished)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{record.Name},{record.Variant},{record.Seed}");
            foreach (string key in Finals)
                sb.Append(',').Append(Format(record.Diverged ? null : SummaryMeasure.Standard.First(m => m.Key == key).Read(record)));
            foreach (double e in checkpoints) sb.Append(',').Append(Format(AccuracyAtEpoch(record, e)));
            var train = record.Series("train_loss").Values;
            bool noProgress = !record.Diverged && train.Length > 1 && train[^1] >= 0.95 * train[0];
            sb.Append(CultureInfo.InvariantCulture,
                $",{(record.Diverged ? 1 : 0)},{(noProgress ? 1 : 0)},{(spec.Analyze ? spec.AnalysisExamples : 0)},{(spec.Analyze ? spec.AnalysisBudget : "none")},{ConfigHash.Of(byName[record.Name].Config)}\n");
        }
        return sb.ToString();
    }

    static string Format(double? v) => v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>The test accuracy logged at the evaluation closest to <paramref name="epoch"/> (within 0.05 epochs).</summary>
    public static double? AccuracyAtEpoch(CellRecord cell, double epoch) => cell.Metrics
        .Select(r => (Epoch: CellRecord.Number(r, "epoch"), Accuracy: CellRecord.Number(r, "test_accuracy")))
        .Where(p => p.Epoch is not null && p.Accuracy is not null && Math.Abs(p.Epoch.Value - epoch) < 0.05)
        .Select(p => p.Accuracy).FirstOrDefault();
}
