using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// SGDR / PyTorch CosineAnnealingWarmRestarts as a closed form of (possibly fractional) time t:
/// cycle i lasts T_i = T_0·T_mult^i and, inside it, the lr falls from the cycle's peak to eta_min
/// along a half cosine. Extensions beyond PyTorch (both off by default, then PyTorch's numbers):
/// <list type="bullet">
/// <item>T_mult may be fractional (any value ≥ 1), not only an integer;</item>
/// <item><c>warmup</c>: a linear warmup from eta_min to the peak at the start of every cycle,
/// after which the cosine runs over the rest of the cycle;</item>
/// <item><c>cycle_decay</c>: the peak of cycle i is base·cycle_decay^i.</item>
/// </list>
/// </summary>
public sealed class WarmRestartsSchedule : ISchedule
{
    public double BaseLr { get; }
    public double T0 { get; }
    public double TMult { get; }
    public double EtaMin { get; }
    public double Warmup { get; }
    public double CycleDecay { get; }

    public WarmRestartsSchedule(double baseLr, double t0, double tMult = 1, double etaMin = 0, double warmup = 0, double cycleDecay = 1)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        T0 = Check.AtLeast(t0, 1, "T_0");
        TMult = Check.AtLeast(tMult, 1, "T_mult");
        EtaMin = Check.NonNegative(etaMin, "eta_min");
        Warmup = Check.NonNegative(warmup, "warmup");
        Check.That(warmup < t0, "warmup", $"must be shorter than the first cycle (< T_0 = {t0}), got {warmup}");
        CycleDecay = Check.AboveUpTo(cycleDecay, 0, 1, "cycle_decay");
    }

    /// <summary>Which cycle t falls in, where that cycle starts and how long it is.</summary>
    public (int Index, double Start, double Length) CycleAt(double t)
    {
        Check.Time(t);
        if (TMult == 1)
        {
            double i = Math.Floor(t / T0);
            return ((int)i, i * T0, T0);
        }
        // PyTorch's formula n = ⌊log_{T_mult}(t/T_0·(T_mult − 1) + 1)⌋; the log can land an ulp on the
        // wrong side of an integer at a cycle boundary, so the result is checked against the boundaries.
        // With a huge T_mult the argument overflows to ∞ (then ⌊∞⌋ cast to int is int.MinValue and the
        // boundary walk ran ~2^31 times per step): take the log of the product as a sum of logs instead.
        double x = t / T0 * (TMult - 1);
        double log = double.IsFinite(x) ? Math.Log(x + 1) : Math.Log(t / T0) + Math.Log(TMult - 1);
        double estimate = Math.Floor(log / Math.Log(TMult));
        if (!(estimate >= 0 && estimate < int.MaxValue - 1)) Check.That(false, "t",
            $"= {t} lies past cycle {int.MaxValue - 2} of CosineAnnealingWarmRestarts (T_0 = {T0}, T_mult = {TMult})");
        int n = (int)estimate;
        for (int walk = 0; n > 0 && StartOf(n) > t; walk++) { n--; BoundWalk(walk); }
        for (int walk = 0; StartOf(n + 1) <= t; walk++) { n++; BoundWalk(walk); }
        return (n, StartOf(n), T0 * Math.Pow(TMult, n));
    }

    // The estimate is off by rounding only: more than a few corrections means the arithmetic broke down.
    static void BoundWalk(int walk) =>
        Check.That(walk < 8, "T_mult", "gives cycle boundaries that cannot be located in double precision at this time");

    // PyTorch's operation order; only where T_0·(T_mult^n − 1) overflows (a huge T_mult) divide first.
    double StartOf(int n)
    {
        double start = T0 * (Math.Pow(TMult, n) - 1) / (TMult - 1);
        return double.IsFinite(start) ? start : T0 * ((Math.Pow(TMult, n) - 1) / (TMult - 1));
    }

    public double At(double t)
    {
        var (index, start, length) = CycleAt(t);
        double tCur = t - start;
        double peak = CycleDecay == 1 ? BaseLr : BaseLr * Math.Pow(CycleDecay, index);
        if (tCur < Warmup) return EtaMin + (peak - EtaMin) * (tCur / Warmup);
        if (Warmup > 0) { tCur -= Warmup; length -= Warmup; }
        return EtaMin + (peak - EtaMin) * (1 + Math.Cos(Math.PI * tCur / length)) / 2;
    }
}
