using FsCheck;
using FsCheck.Xunit;
using TrainKit.Schedulers.Coupling;
using TrainKit.Schedulers.Schedules;

namespace TrainKit.Schedulers.Tests.Schedules;

/// <summary>Properties over random parameters (FsCheck): every kind stays inside its own lr range, SGDR restarts
/// exactly at its cycle boundaries, and the constant-product coupling keeps lr·wd fixed.</summary>
public class SchedulePropertyTests
{
    // Map FsCheck's integers onto sensible parameter ranges.
    static double Lr(int a) => 1e-4 + (Math.Abs(a) % 1000) / 1000.0;
    static double Frac(int a) => (Math.Abs(a) % 999 + 1) / 1000.0;            // (0, 1)
    static double Length(int a) => 1 + Math.Abs(a) % 200;                     // [1, 200]
    static double Time(int a, int frac) => Math.Abs(a) % 500 + Frac(frac);    // fractional times too

    static bool Within(double v, double lo, double hi) => v >= lo - 1e-12 * Math.Abs(lo) - 1e-15 && v <= hi + 1e-12 * Math.Abs(hi) + 1e-15;

    [Property(MaxTest = 300)]
    public bool Cosine_kinds_stay_between_eta_min_and_base(int baseSeed, int etaSeed, int lengthSeed, int multSeed, int tSeed, int fracSeed)
    {
        double b = Lr(baseSeed), eta = b * Frac(etaSeed) * 0.5, t = Time(tSeed, fracSeed);
        ISchedule[] schedules =
        [
            new CosineAnnealingSchedule(b, Length(lengthSeed), eta),
            new CosinePowerSchedule(b, Length(lengthSeed), 1 + Math.Abs(multSeed) % 4, eta),
            new WarmRestartsSchedule(b, Length(lengthSeed), 1 + (Math.Abs(multSeed) % 30) / 10.0, eta),
            new WarmRestartsSchedule(b, Length(lengthSeed) + 1, 1.5, eta, warmup: 1, cycleDecay: 0.7),
        ];
        return schedules.All(s => Within(s.At(t), eta, b));
    }

    [Property(MaxTest = 300)]
    public bool Warmup_kinds_stay_between_zero_and_base(int baseSeed, int warmSeed, int lengthSeed, int ratioSeed, int tSeed, int fracSeed)
    {
        double b = Lr(baseSeed), total = Length(lengthSeed) + 10, warm = Math.Floor(total * Frac(warmSeed)), t = Time(tSeed, fracSeed), m = Frac(ratioSeed);
        ISchedule[] schedules =
        [
            new WarmupCosineSchedule(b, warm, total, 0.5, m),
            new WarmupCosineHardRestartsSchedule(b, warm, total, 1 + Math.Abs(ratioSeed) % 5),
            new WsdSchedule(b, warm, total / 2, total / 3, m, (WsdShape)(Math.Abs(ratioSeed) % 3)),
            new InverseSqrtSchedule(b, warm),
            new LinearSchedule(b, m, 1.0, total),
            new SlantedTriangularSchedule(b, total, Math.Min(0.9, Frac(warmSeed)), 32),
        ];
        return schedules.All(s => Within(s.At(t), 0, b));
    }

    [Property(MaxTest = 300)]
    public bool OneCycle_and_Cyclic_stay_inside_their_lr_and_momentum_bounds(int maxSeed, int totalSeed, int pctSeed, int tSeed, bool threePhase, bool linear)
    {
        double maxLr = Lr(maxSeed);
        int total = 20 + Math.Abs(totalSeed) % 500;
        double pct = 0.1 + 0.3 * Frac(pctSeed);
        var one = new OneCycleSchedule(maxLr, total, pct, linear ? AnnealStrategy.Linear : AnnealStrategy.Cos, threePhase: threePhase);
        double t = Math.Abs(tSeed) % (total + 1);
        double min = maxLr / 25 / 1e4;
        var cyclic = new CyclicSchedule(maxLr / 10, maxLr, 1 + Math.Abs(totalSeed) % 20, 1 + Math.Abs(pctSeed) % 20, (CyclicMode)(Math.Abs(maxSeed) % 3), 0.99);
        double tc = Time(tSeed, pctSeed);
        return Within(one.At(t), min, maxLr) && Within(one.MomentumAt(t), 0.85, 0.95)
            && Within(cyclic.At(tc), maxLr / 10, maxLr) && Within(cyclic.MomentumAt(tc), 0.8, 0.9);
    }

    [Property(MaxTest = 200)]
    public bool Warm_restarts_happen_exactly_at_cycle_boundaries(int t0Seed, int multSeed, int cycleSeed, int baseSeed)
    {
        double b = Lr(baseSeed), t0 = 1 + Math.Abs(t0Seed) % 20;
        double mult = 1 + (Math.Abs(multSeed) % 21) / 10.0;          // 1.0, 1.1, ..., 3.0: integer and fractional
        var s = new WarmRestartsSchedule(b, t0, mult, 0);
        int n = 1 + Math.Abs(cycleSeed) % 6;
        double boundary = mult == 1 ? n * t0 : t0 * (Math.Pow(mult, n) - 1) / (mult - 1);
        double length = t0 * Math.Pow(mult, n - 1);              // the cycle that ends at the boundary
        var (index, start, _) = s.CycleAt(boundary);
        double justBefore = s.At(boundary - 1e-6 * length);
        return index == n && start == boundary
            && Math.Abs(s.At(boundary) - b) <= 1e-12 * b              // back at the peak
            && justBefore < 1e-9 * b                                  // ... from the bottom of the previous cycle
            && s.CycleAt(boundary - 1e-6 * length).Index == n - 1;
    }

    [Property(MaxTest = 300)]
    public bool Constant_product_keeps_lr_times_wd_constant(int baseSeed, int wdSeed, int tSeed, int kindSeed)
    {
        double b = Lr(baseSeed), wd0 = Frac(wdSeed) / 10, t = Math.Abs(tSeed) % 300;
        ISchedule s = (Math.Abs(kindSeed) % 3) switch
        {
            0 => new CosineAnnealingSchedule(b, 100, b / 100),
            1 => new ExponentialSchedule(b, 0.97),
            _ => new CyclicSchedule(b / 10, b, 7, 11),
        };
        double lr = s.At(t);
        double wd = WeightDecayCoupling.ConstantProduct.WeightDecayAt(t, lr, b, wd0);
        return Math.Abs(lr * wd - b * wd0) <= 1e-12 * b * wd0;
    }

    [Property(MaxTest = 300)]
    public bool Decay_kinds_never_rise_and_stay_between_zero_and_base(int baseSeed, int aSeed, int bSeed, int tSeed, int dtSeed)
    {
        double b = Lr(baseSeed), t = Time(tSeed, aSeed), later = t + Time(dtSeed, bSeed);
        double gamma = Frac(aSeed), length = Length(bSeed);
        ISchedule[] schedules =
        [
            new StepSchedule(b, length, gamma),
            new MultiStepSchedule(b, [length, 2 * length, 5 * length], gamma),
            new ExponentialSchedule(b, gamma),
            new InverseTimeSchedule(b, Frac(bSeed) * 3, length),
            new PolynomialSchedule(b, length, 1 + Math.Abs(aSeed) % 3),
            new CosinePowerSchedule(b, length, 1 + Math.Abs(aSeed) % 3),
        ];
        // ChainedScheduler is a recursion over whole steps (PyTorch has no step(epoch) for it).
        var chained = new ChainedSchedule(b, [new ExponentialSchedule(b, gamma), new StepSchedule(b, length, 0.5)]);
        double tStep = Math.Floor(t), laterStep = Math.Floor(later);
        return schedules.All(s => s.At(later) <= s.At(t) && Within(s.At(t), 0, b) && Within(s.At(later), 0, b))
            && chained.At(laterStep) <= chained.At(tStep) * (1 + 1e-12) && Within(chained.At(tStep), 0, b * (1 + 1e-12));
    }

    [Property(MaxTest = 200)]
    public bool Noam_and_inverse_sqrt_peak_at_the_end_of_warmup(int baseSeed, int warmSeed, int tSeed)
    {
        double b = Lr(baseSeed), w = Length(warmSeed), t = Time(tSeed, warmSeed);
        var noam = new NoamSchedule(b, 512, w);
        var inverseSqrt = new InverseSqrtSchedule(b, w);
        double noamPeak = noam.At(w - 1);                     // s = t + 1 = W
        return noam.At(t) <= noamPeak * (1 + 1e-12) && Within(inverseSqrt.At(t), 0, b) && Math.Abs(inverseSqrt.At(w) - b) <= 1e-15;
    }
}
