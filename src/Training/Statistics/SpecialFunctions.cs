namespace TrainKit.Training.Statistics;

/// <summary>The few special functions the intervals and tests need: log Γ, the regularized incomplete beta
/// function and its inverse. Pure managed code so the statistics run (and are tested) without native libraries.</summary>
public static class SpecialFunctions
{
    static readonly double[] LanczosCoefficients =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7: about 15 significant digits).</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "LogGamma needs x > 0");
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x); // reflection keeps accuracy near 0
        x -= 1;
        double sum = LanczosCoefficients[0];
        for (int i = 1; i < LanczosCoefficients.Length; i++) sum += LanczosCoefficients[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>I_x(a, b), the CDF of Beta(a, b) at x, by the continued fraction (modified Lentz), using the
    /// symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.</summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (!(a > 0) || !(b > 0)) throw new ArgumentOutOfRangeException(nameof(a), $"Beta parameters must be > 0, got a = {a}, b = {b}");
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        if (x > (a + 1) / (a + b + 2)) return 1 - Math.Exp(logFront) * ContinuedFraction(b, a, 1 - x) / b;
        return Math.Exp(logFront) * ContinuedFraction(a, b, x) / a;
    }

    static double ContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300, epsilon = 1e-16;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++)
        {
            int m2 = 2 * m;
            double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + even * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + even / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d; h *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + odd * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + odd / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < epsilon) return h;
        }
        throw new InvalidOperationException($"incomplete beta continued fraction did not converge (a = {a}, b = {b}, x = {x})");
    }

    /// <summary>The x with I_x(a, b) = p, by bisection: I is monotone in x, and 200 halvings reach the
    /// resolution of a double, which Newton steps cannot promise near 0 and 1 for small a or b.</summary>
    public static double InverseRegularizedIncompleteBeta(double a, double b, double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "a probability must lie in [0, 1]");
        if (p == 0) return 0;
        if (p == 1) return 1;
        double low = 0, high = 1;
        for (int i = 0; i < 200 && high - low > 0; i++)
        {
            double mid = 0.5 * (low + high);
            if (mid == low || mid == high) break;
            if (RegularizedIncompleteBeta(a, b, mid) < p) low = mid; else high = mid;
        }
        return 0.5 * (low + high);
    }
}
