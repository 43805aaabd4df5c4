namespace TrainKit.Training.Statistics;

/// <summary>The percentile bootstrap over clusters: each resample draws as many clusters as there are, with
/// replacement, and keeps every member of a drawn cluster. Runs of one configuration (its seeds) are a cluster, so
/// a Kendall τ's interval reflects how many configurations were compared, not how many seeds each had (Jiang et al.
/// 2020 resample hyperparameter configurations). Same seed, same interval, as <see cref="PercentileBootstrap"/>.</summary>
public static class ClusterBootstrap
{
    public static Interval Interval<T>(IReadOnlyList<IReadOnlyList<T>> clusters, Func<IReadOnlyList<T>, double> statistic, double level = 0.95,
        int resamples = PercentileBootstrap.DefaultResamples, ulong seed = PercentileBootstrap.DefaultSeed)
    {
        if (clusters.Count == 0 || clusters.Any(c => c.Count == 0)) throw new ArgumentException("a cluster bootstrap needs at least one cluster, none of them empty");
        if (resamples < 2) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "a bootstrap needs at least 2 resamples");
        var rng = new SplitMix64(seed);
        var drawn = new List<T>();
        var stats = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            drawn.Clear();
            for (int i = 0; i < clusters.Count; i++) drawn.AddRange(clusters[rng.NextIndex(clusters.Count)]);
            stats[b] = statistic(drawn);
        }
        Array.Sort(stats);
        return new Interval(Quantile.OfSorted(stats, (1 - level) / 2), Quantile.OfSorted(stats, (1 + level) / 2), level);
    }
}
