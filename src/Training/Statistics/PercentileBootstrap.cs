namespace TrainKit.Training.Statistics;

/// <summary>The percentile bootstrap (Efron): resample the values with replacement <c>resamples</c> times with a
/// seeded <see cref="SplitMix64"/>, compute the statistic of each resample, and take the (1 ± level)/2 type-7
/// quantiles. The same seed gives the same interval on every machine.</summary>
public static class PercentileBootstrap
{
    public const int DefaultResamples = 10_000;
    public const ulong DefaultSeed = 20_240_601;

    public static Interval MeanInterval(IReadOnlyList<double> values, double level = 0.95, int resamples = DefaultResamples, ulong seed = DefaultSeed) =>
        Interval(values, v => v.Sum() / v.Length, level, resamples, seed);

    public static Interval Interval(IReadOnlyList<double> values, Func<double[], double> statistic, double level = 0.95,
        int resamples = DefaultResamples, ulong seed = DefaultSeed)
    {
        if (values.Count == 0) throw new ArgumentException("bootstrap of an empty sample");
        if (resamples < 2) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "a bootstrap needs at least 2 resamples");
        var rng = new SplitMix64(seed);
        var sample = new double[values.Count];
        var stats = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < sample.Length; i++) sample[i] = values[rng.NextIndex(values.Count)];
            stats[b] = statistic(sample);
        }
        Array.Sort(stats);
        return new Interval(Quantile.OfSorted(stats, (1 - level) / 2), Quantile.OfSorted(stats, (1 + level) / 2), level);
    }
}
