namespace TrainKit.Training.Statistics;

/// <summary>Fisher's exact test of a 2×2 table [[a, b], [c, d]] (rows: groups, columns: e.g. trained / stuck).
/// Two-sided p: the total probability, under the hypergeometric null with the margins fixed, of every table no
/// more likely than the observed one (R's and SciPy's convention, with a relative tolerance of 1e-7 for ties).</summary>
public static class FisherExact
{
    public static double TwoSidedP(int a, int b, int c, int d)
    {
        if (a < 0 || b < 0 || c < 0 || d < 0) throw new ArgumentOutOfRangeException(nameof(a), "table counts must be >= 0");
        int row1 = a + b, col1 = a + c, n = a + b + c + d;
        if (n == 0) return 1;
        int lowest = Math.Max(0, col1 - (n - row1)), highest = Math.Min(row1, col1);
        double observed = LogProbability(a, row1, col1, n);
        double p = 0;
        for (int x = lowest; x <= highest; x++)
        {
            double logP = LogProbability(x, row1, col1, n);
            if (logP <= observed + 1e-7) p += Math.Exp(logP);
        }
        return Math.Min(1, p);
    }

    static double LogProbability(int x, int row1, int col1, int n) =>
        LogChoose(row1, x) + LogChoose(n - row1, col1 - x) - LogChoose(n, col1);

    static double LogChoose(int n, int k) =>
        SpecialFunctions.LogGamma(n + 1) - SpecialFunctions.LogGamma(k + 1) - SpecialFunctions.LogGamma(n - k + 1);
}
