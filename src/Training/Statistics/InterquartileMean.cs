namespace TrainKit.Training.Statistics;

/// <summary>The interquartile mean (IQM) of Agarwal et al. 2021: the mean of the middle 50 % of the scores,
/// trimming ⌊n/4⌋ from each end as <c>scipy.stats.trim_mean(x, 0.25)</c> (which rliable uses) does; with its
/// stratified percentile bootstrap, which resamples the runs of each task separately so that every resample keeps
/// every task.</summary>
public static class InterquartileMean
{
    public static double Of(IEnumerable<double> scores)
    {
        double[] sorted = [.. scores.Order()];
        if (sorted.Length == 0) throw new ArgumentException("IQM of no scores");
        int cut = sorted.Length / 4;
        return sorted[cut..(sorted.Length - cut)].Average();
    }

    /// <summary>The percentile interval of the IQM over stratified resamples: for each resample and each task
    /// (in the given order), draw that task's runs with replacement; the IQM is taken over all drawn scores.</summary>
    public static Interval StratifiedBootstrap(IReadOnlyList<IReadOnlyList<double>> scoresPerTask, double level = 0.95,
        int resamples = PercentileBootstrap.DefaultResamples, ulong seed = PercentileBootstrap.DefaultSeed)
    {
        if (scoresPerTask.Count == 0 || scoresPerTask.Any(t => t.Count == 0)) throw new ArgumentException("every task needs at least one score");
        var rng = new SplitMix64(seed);
        int total = scoresPerTask.Sum(t => t.Count);
        var drawn = new double[total];
        var stats = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            int k = 0;
            foreach (var task in scoresPerTask)
                for (int i = 0; i < task.Count; i++) drawn[k++] = task[rng.NextIndex(task.Count)];
            stats[b] = Of(drawn);
        }
        Array.Sort(stats);
        return new Interval(Quantile.OfSorted(stats, (1 - level) / 2), Quantile.OfSorted(stats, (1 + level) / 2), level);
    }
}
