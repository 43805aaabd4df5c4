namespace TrainKit.Training.Statistics;

/// <summary>The paired comparison of two variants over the seeds they share: the mean of (variant − baseline),
/// its two-sided t interval over the paired differences and the paired t-test's p-value. Identical results give a
/// zero-width interval at 0 and p = 1; fewer than two pairs give no interval (NaN bounds).</summary>
public sealed record PairedDifference(int Pairs, double MeanDiff, Interval Ci, double PValue, IReadOnlyList<double> Differences)
{
    public static PairedDifference Of(IReadOnlyList<double> variant, IReadOnlyList<double> baseline, double level = 0.95)
    {
        if (variant.Count != baseline.Count) throw new ArgumentException($"paired samples differ in length: {variant.Count} vs {baseline.Count}");
        double[] d = [.. variant.Zip(baseline, (v, b) => v - b)];
        return OfDifferences(d, level);
    }

    public static PairedDifference OfDifferences(IReadOnlyList<double> differences, double level = 0.95)
    {
        int n = differences.Count;
        if (n == 0) return new PairedDifference(0, double.NaN, new Interval(double.NaN, double.NaN, level), double.NaN, differences);
        double mean = differences.Average();
        if (n == 1) return new PairedDifference(1, mean, new Interval(double.NaN, double.NaN, level), double.NaN, differences);
        double sd = Math.Sqrt(differences.Sum(x => (x - mean) * (x - mean)) / (n - 1));
        // Differences equal to the last bit carry no spread: a zero-width interval, decided by the mean alone.
        if (sd <= 1e-12 * Math.Max(1, Math.Abs(mean)))
            return new PairedDifference(n, mean, new Interval(mean, mean, level), mean == 0 ? 1 : 0, differences);
        double se = sd / Math.Sqrt(n);
        double half = StudentT.Quantile(0.5 + level / 2, n - 1) * se;
        return new PairedDifference(n, mean, new Interval(mean - half, mean + half, level), StudentT.TwoSidedP(mean / se, n - 1), differences);
    }
}
