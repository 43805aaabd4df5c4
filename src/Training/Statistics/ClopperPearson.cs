namespace TrainKit.Training.Statistics;

/// <summary>The exact (Clopper–Pearson) interval for a binomial proportion k / n: the Beta(k, n−k+1) and
/// Beta(k+1, n−k) quantiles, with 0 and 1 at the ends. Conservative, and honest about how little 3 seeds say:
/// 2 of 3 gives [0.094, 0.992].</summary>
public static class ClopperPearson
{
    public static Interval Of(int successes, int trials, double level = 0.95)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, "a proportion needs at least one trial");
        if (successes < 0 || successes > trials) throw new ArgumentOutOfRangeException(nameof(successes), successes, $"successes must lie in [0, {trials}]");
        double alpha = 1 - level;
        double low = successes == 0 ? 0 : SpecialFunctions.InverseRegularizedIncompleteBeta(successes, trials - successes + 1, alpha / 2);
        double high = successes == trials ? 1 : SpecialFunctions.InverseRegularizedIncompleteBeta(successes + 1, trials - successes, 1 - alpha / 2);
        return new Interval(low, high, level);
    }
}
