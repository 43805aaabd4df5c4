namespace TrainKit.Training.Statistics;

/// <summary>Agarwal et al. 2021's probability of improvement P(X > Y): within each task, the share of (x, y) run
/// pairs where x scores higher, a tie counting one half (the Mann-Whitney U statistic over m·n); then the mean over
/// tasks, so every task weighs the same whatever its number of runs.</summary>
public static class ProbabilityOfImprovement
{
    public static double Of(IReadOnlyList<(IReadOnlyList<double> X, IReadOnlyList<double> Y)> perTask)
    {
        if (perTask.Count == 0 || perTask.Any(t => t.X.Count == 0 || t.Y.Count == 0))
            throw new ArgumentException("probability of improvement needs at least one task with runs of both");
        double total = 0;
        foreach (var (x, y) in perTask)
        {
            double wins = 0;
            foreach (double a in x)
                foreach (double b in y)
                    wins += a > b ? 1 : a == b ? 0.5 : 0;
            total += wins / (x.Count * y.Count);
        }
        return total / perTask.Count;
    }
}
