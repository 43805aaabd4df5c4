using TrainKit.Training.Statistics;

namespace TrainKit.Training.Reports;

/// <summary>How `trainkit correlate` selects runs and sizes its bootstrap.</summary>
public sealed record CorrelationOptions
{
    /// <summary>Jiang et al.'s common stopping criterion: only runs whose final train loss is at most this are used
    /// (null: every run). TrainKit analyses the final model only, so a run is not measured where it first reached it.</summary>
    public double? StopAtTrainLoss { get; init; }

    /// <summary>Pool cells analysed with different budgets or subset sizes (refused by default: their figures are
    /// estimates of different precision on different examples).</summary>
    public bool PoolBudgets { get; init; }

    /// <summary>A classifier whose test accuracy is at most chance (1/classes) plus this is stuck at chance and left out.</summary>
    public double ChanceMargin { get; init; } = 0.05;

    public int Resamples { get; init; } = 2000;
    public ulong Seed { get; init; } = PercentileBootstrap.DefaultSeed;

    public CorrelationOptions Validated()
    {
        if (StopAtTrainLoss is double x && !(double.IsFinite(x) && x > 0))
            throw new ArgumentException($"--stop-at-train-loss must be a positive number, not {x}");
        if (!(ChanceMargin >= 0 && ChanceMargin < 1))
            throw new ArgumentException($"--chance-margin must be in [0, 1), not {ChanceMargin}");
        if (Resamples is < 100 or > 1_000_000)
            throw new ArgumentException($"--resamples must be between 100 and 1000000, not {Resamples}");
        return this;
    }
}
