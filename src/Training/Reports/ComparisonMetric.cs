namespace TrainKit.Training.Reports;

/// <summary>A metric the paired comparison reads per cell, and which direction is an improvement.</summary>
public sealed record ComparisonMetric(string Key, bool HigherIsBetter, Func<CellRecord, double?> Read)
{
    static Func<CellRecord, double?> Summary(string key) => SummaryMeasure.Standard.First(m => m.Key == key).Read;

    public static readonly IReadOnlyList<ComparisonMetric> Standard =
    [
        new("test_accuracy", HigherIsBetter: true, Summary("test_accuracy")),
        new("test_loss", HigherIsBetter: false, Summary("test_loss")),
        new("loss_gap", HigherIsBetter: false, Summary("loss_gap")),
        new("train_loss", HigherIsBetter: false, Summary("train_loss")),
    ];
}
