namespace TrainKit.Training.Statistics;

/// <summary>Student's t distribution with ν degrees of freedom, through the incomplete beta function:
/// P(|T| &gt; t) = I_{ν/(ν+t²)}(ν/2, 1/2).</summary>
public static class StudentT
{
    public static double Cdf(double t, double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0)) throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "t needs ν > 0");
        if (double.IsPositiveInfinity(t)) return 1;
        if (double.IsNegativeInfinity(t)) return 0;
        double tail = 0.5 * SpecialFunctions.RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, degreesOfFreedom / (degreesOfFreedom + t * t));
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The two-sided p-value of an observed t statistic.</summary>
    public static double TwoSidedP(double t, double degreesOfFreedom) =>
        SpecialFunctions.RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, degreesOfFreedom / (degreesOfFreedom + t * t));

    /// <summary>The p-quantile, e.g. Quantile(0.975, 2) = 4.3027 for a 95 % two-sided interval from 3 pairs.</summary>
    public static double Quantile(double p, double degreesOfFreedom)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "a t quantile needs 0 < p < 1");
        if (p == 0.5) return 0;
        // P(|T| > t) = 2·min(p, 1 − p) = I_x(ν/2, 1/2) with x = ν/(ν + t²); solve for x, then t.
        double x = SpecialFunctions.InverseRegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, 2 * Math.Min(p, 1 - p));
        double t = Math.Sqrt(degreesOfFreedom * (1 - x) / x);
        return p > 0.5 ? t : -t;
    }
}
