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
/// <param name="Brackets">Hyperband (Li et al. 2018) when above 1: that many ASHA brackets, bracket b starting at
/// <c>min_resource × reduction_factor^b</c>, each trial in one of them (<see cref="HyperbandBrackets"/>) and judged only
/// against the trials of its own bracket. 1 (the default) is plain ASHA; the most is one more than the rung count,
/// the last bracket then having no rung (its trials all run to the end, the paper's s = 0).</param>
public sealed record AshaConfig(
    string Metric,
    string Mode = "max",
    double MinResource = 1,
    double ReductionFactor = 3,
    double MaxResource = 9,
    string Unit = "epochs",
    int Brackets = 1)
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
        int most = Rungs().Count + 1;
        if (Brackets < 1 || Brackets > most)
            throw new ArgumentException(FormattableString.Invariant(
                $"asha.brackets must be between 1 (plain ASHA) and {most} (one bracket per rung start, the last without a rung: min_resource {MinResource} × {ReductionFactor}^b below max_resource {MaxResource}), got {Brackets}"));
        return this;
    }

    /// <summary>The rung resources: min_resource × reduction_factor^k for every k below max_resource. Rung k is the
    /// same resource in every bracket; bracket b has rungs b, b + 1, … (see <see cref="HyperbandBrackets.FirstRung"/>).</summary>
    public IReadOnlyList<double> Rungs()
    {
        var rungs = new List<double>();
        for (double r = MinResource; r < MaxResource * (1 - 1e-9); r *= ReductionFactor) rungs.Add(r);
        return rungs;
    }
}
