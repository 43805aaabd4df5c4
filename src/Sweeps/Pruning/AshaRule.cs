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

    /// <summary>The q-quantile of sorted values, interpolating linearly between order statistics.</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
