using TrainKit.Sweeps.Store;

namespace TrainKit.Sweeps.Pruning;

/// <summary>The ASHA stopping rule at one rung, pure: keep a trial if its metric reaches the
/// (1 − 1/reduction_factor) quantile of the metrics recorded at that rung (its own included), the cut-off Ray
/// Tune's AsyncHyperBandScheduler uses (a linear-interpolation percentile, as numpy's default).</summary>
public static class AshaRule
{
    public static bool Keep(double metric, IReadOnlyCollection<double> recorded, double reductionFactor, bool maximize)
    {
        if (double.IsNaN(metric)) return false;
        double Oriented(double v) => maximize ? v : -v;
        double[] sorted = recorded.Where(v => !double.IsNaN(v)).Select(Oriented).Order().ToArray();
        if (sorted.Length == 0) return true;
        return Oriented(metric) >= Quantile(sorted, 1 - 1 / reductionFactor);
    }

    /// <summary>The rule inside a Hyperband bracket: the trial's metric at <paramref name="rung"/> against what the
    /// trials of the same bracket reported there. Other brackets' reports do not count: each bracket runs its own
    /// successive halving, which is what makes a later bracket a hedge rather than the same cut again.</summary>
    public static bool KeepInBracket(double metric, int bracket, int rung, IEnumerable<RungReport> reported, AshaConfig asha) =>
        Keep(metric, SameBracket(metric, bracket, rung, reported), asha.ReductionFactor, asha.Maximize);

    /// <summary>The metrics a decision at (bracket, rung) is taken against, the trial's own included.</summary>
    public static IReadOnlyCollection<double> SameBracket(double metric, int bracket, int rung, IEnumerable<RungReport> reported) =>
        [.. reported.Where(r => r.Bracket == bracket && r.Rung == rung).Select(r => r.Metric).Append(metric)];

    /// <summary>The q-quantile of sorted values, interpolating linearly between order statistics.</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
