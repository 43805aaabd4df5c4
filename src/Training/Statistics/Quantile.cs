namespace TrainKit.Training.Statistics;

/// <summary>Sample quantiles by linear interpolation between order statistics (Hyndman &amp; Fan type 7, NumPy's
/// and R's default).</summary>
public static class Quantile
{
    public static double OfSorted(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) throw new ArgumentException("quantile of an empty sample");
        double h = (sorted.Count - 1) * p;
        int low = (int)Math.Floor(h);
        if (low >= sorted.Count - 1) return sorted[^1];
        return sorted[low] + (h - low) * (sorted[low + 1] - sorted[low]);
    }
}
