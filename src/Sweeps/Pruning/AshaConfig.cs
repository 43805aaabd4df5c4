using System.Text.Json.Serialization;

namespace TrainKit.Sweeps.Pruning;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2020) as Ray Tune's AsyncHyperBandScheduler runs it: rungs at
/// <c>min_resource × reduction_factor^k</c> (below <c>max_resource</c>), in epochs or steps. A trial reaching a rung
/// reports <see cref="Metric"/> and continues only if it is in the top 1/reduction_factor of what every trial
/// reported at that rung so far; otherwise it is pruned. Nobody waits for a rung to fill.
/// </summary>
/// <param name="Metric">A metrics.jsonl column, e.g. validation_accuracy or validation_eval_loss (needs
/// data.validation_fraction &gt; 0) or train_eval_loss. Never a test_ column: pruning on the test split leaks it.</param>
/// <param name="Mode">max (accuracy) or min (loss).</param>
public sealed record AshaConfig(
    string Metric,
    string Mode = "max",
    double MinResource = 1,
    double ReductionFactor = 3,
    double MaxResource = 9,
    string Unit = "epochs")
{
    [JsonIgnore]
    public bool Maximize => Mode == "max";

    public AshaConfig Validate()
    {
        if (string.IsNullOrWhiteSpace(Metric)) throw new ArgumentException("asha.metric: name the metric to prune on (e.g. validation_accuracy)");
        if (Metric.StartsWith("test_", StringComparison.Ordinal))
            throw new ArgumentException($"asha.metric '{Metric}' is a test-split metric: prune on validation_* (set data.validation_fraction) or train_eval_loss, never on the test split");
        if (Mode is not ("max" or "min")) throw new ArgumentException($"asha.mode must be max or min, got '{Mode}'");
        if (Unit is not ("epochs" or "steps")) throw new ArgumentException($"asha.unit must be epochs or steps, got '{Unit}'");
        if (!(MinResource > 0)) throw new ArgumentException($"asha.min_resource must be > 0, got {MinResource}");
        if (!(ReductionFactor >= 2)) throw new ArgumentException($"asha.reduction_factor must be >= 2, got {ReductionFactor}");
        if (!(MaxResource > MinResource)) throw new ArgumentException($"asha.max_resource ({MaxResource}) must exceed asha.min_resource ({MinResource})");
        return this;
    }

    /// <summary>The rung resources: min_resource × reduction_factor^k for every k below max_resource.</summary>
    public IReadOnlyList<double> Rungs()
    {
        var rungs = new List<double>();
        for (double r = MinResource; r < MaxResource * (1 - 1e-9); r *= ReductionFactor) rungs.Add(r);
        return rungs;
    }
}
