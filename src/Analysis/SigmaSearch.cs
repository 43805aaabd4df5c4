namespace TrainKit.Analysis;

/// <summary>Where the largest admissible noise scale σ lies: the bracket [Lower, Upper] (Lower admissible, Upper not)
/// and its geometric midpoint, the value reported.</summary>
public sealed record SigmaBracket(double Lower, double Upper, int BracketingEvaluations, int BisectionSteps,
    bool HitUpperBound, bool HitLowerBound)
{
    /// <summary>√(Lower·Upper): the midpoint in log σ, where the bisection works.</summary>
    public double Midpoint => HitUpperBound ? Upper : HitLowerBound ? Lower : Math.Sqrt(Lower * Upper);
    /// <summary>Upper/Lower − 1: the relative width of the bracket (the stated uncertainty of the midpoint is half of it).</summary>
    public double RelativeWidth => Upper / Lower - 1;
}

/// <summary>
/// Bisection for the largest σ with <c>admissible(σ)</c> true (admissible is assumed monotone: true below a threshold,
/// false above), done in log σ because the answer can be anywhere from 1e-4 to 1: first a cheap geometric bracket from
/// <c>initial</c> (×/÷ 4 until the answer is bracketed or a bound is reached), then halving the log-bracket until
/// Upper/Lower ≤ 1 + <c>relativeTolerance</c> or <c>maxBisectionSteps</c> halvings were done. A bisection on [0, 1]
/// reporting its lower end (the previous code) returned multiples of 1/2^steps, up to +50 % off after 6 steps.
/// </summary>
public static class SigmaSearch
{
    public static SigmaBracket Find(Func<double, bool> admissible, double initial = 0.05, double sigmaMin = 1e-5, double sigmaMax = 1.0,
        double relativeTolerance = 1e-2, int maxBisectionSteps = 30)
    {
        if (!(sigmaMin > 0 && sigmaMin < sigmaMax) || relativeTolerance < 0 || maxBisectionSteps < 0)
            throw new ArgumentException($"need 0 < sigma_min < sigma_max, a non-negative tolerance and step count; got [{sigmaMin}, {sigmaMax}], {relativeTolerance}, {maxBisectionSteps}");
        const double factor = 4;
        double sigma = Math.Clamp(initial, sigmaMin, sigmaMax);
        int evaluations = 1;
        double lo, hi;
        if (admissible(sigma))
        {
            lo = sigma;
            while (true)
            {
                if (lo >= sigmaMax) return new SigmaBracket(sigmaMax, sigmaMax, evaluations, 0, true, false);
                double next = Math.Min(lo * factor, sigmaMax);
                evaluations++;
                if (!admissible(next)) { hi = next; break; }
                lo = next;
            }
        }
        else
        {
            hi = sigma;
            while (true)
            {
                if (hi <= sigmaMin) return new SigmaBracket(sigmaMin, sigmaMin, evaluations, 0, false, true);
                double next = Math.Max(hi / factor, sigmaMin);
                evaluations++;
                if (admissible(next)) { lo = next; break; }
                hi = next;
            }
        }
        int steps = 0;
        while (steps < maxBisectionSteps && hi / lo > 1 + relativeTolerance)
        {
            double mid = Math.Sqrt(lo * hi);
            steps++;
            if (admissible(mid)) lo = mid; else hi = mid;
        }
        return new SigmaBracket(lo, hi, evaluations, steps, false, false);
    }
}
