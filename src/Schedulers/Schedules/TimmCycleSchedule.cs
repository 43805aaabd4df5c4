using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>The curve inside one timm cycle.</summary>
public enum TimmCycleShape
{
    /// <summary>timm's CosineLRScheduler: lr_min + ½(lr_max − lr_min)(1 + cos(π·t_curr^k / t_i^k)).</summary>
    Cosine,
    /// <summary>timm's PolyLRScheduler: lr_min + (lr_max − lr_min)(1 − t_curr^k / t_i^k)^power.</summary>
    Poly,
    /// <summary>timm's TanhLRScheduler: lr_min + ½(lr_max − lr_min)(1 − tanh(lb(1 − r) + ub·r)), r = t_curr / t_i.</summary>
    Tanh,
}

/// <summary>
/// The cycles of timm's CosineLRScheduler, PolyLRScheduler and TanhLRScheduler (timm/scheduler/*_lr.py,
/// <c>_get_lr</c> after its warmup branch), as a closed form of t: cycle i lasts t_initial·cycle_mul^i, peaks at
/// base·cycle_decay^i, and from cycle <c>cycle_limit</c> on the lr stays at lr_min. k-decay (Zhang et al. 2020,
/// "k-decay: A New Method For Learning Rate Schedule") bends the cosine and poly curves by comparing t_curr^k with
/// t_i^k. The warmup, the warmup_prefix shift and the noise are timm's base-class plumbing:
/// <see cref="TimmWarmupSchedule"/> and <see cref="LrNoiseSchedule"/> wrap this. Every expression keeps timm's
/// operation order (cycle index by log(1 − t/t_initial·(1 − cycle_mul)) / log(cycle_mul), powers before the
/// division), so the numbers match timm's to the last bits, not only to rounding.
/// </summary>
public sealed class TimmCycleSchedule : ISchedule
{
    public double BaseLr { get; }
    public TimmCycleShape Shape { get; }
    public double TInitial { get; }
    public double LrMin { get; }
    public double CycleMul { get; }
    public double CycleDecay { get; }
    public int CycleLimit { get; }
    public double KDecay { get; }
    public double Power { get; }
    public double Lb { get; }
    public double Ub { get; }

    public TimmCycleSchedule(double baseLr, TimmCycleShape shape, double tInitial, double lrMin = 0, double cycleMul = 1,
        double cycleDecay = 1, int cycleLimit = 1, double kDecay = 1, double power = 0.5, double lb = -7, double ub = 3)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        Shape = shape;
        TInitial = Check.Positive(tInitial, "t_initial");
        LrMin = Check.NonNegative(lrMin, "lr_min");
        // timm takes any cycle_mul, but below 1 the cycles shrink to a finite total (t_initial/(1 − cycle_mul))
        // and its log is undefined after it: refuse that here instead of failing mid-run.
        CycleMul = Check.AtLeast(cycleMul, 1, "cycle_mul");
        CycleDecay = Check.Positive(cycleDecay, "cycle_decay");
        CycleLimit = Check.NonNegativeInt(cycleLimit, "cycle_limit");
        KDecay = Check.Positive(kDecay, "k_decay");
        Power = Check.Positive(power, "power");
        Lb = Check.Finite(lb, "lb");
        Ub = Check.Finite(ub, "ub");
        Check.That(lb < ub, "lb", $"({lb}) must be below ub ({ub}), as timm asserts");
    }

    public double At(double t)
    {
        Check.Time(t);
        double i, tI, tCurr;
        if (CycleMul != 1)
        {
            i = Math.Floor(Math.Log(1 - t / TInitial * (1 - CycleMul)) / Math.Log(CycleMul));
            tI = Math.Pow(CycleMul, i) * TInitial;
            tCurr = t - (1 - Math.Pow(CycleMul, i)) / (1 - CycleMul) * TInitial;
        }
        else
        {
            i = Math.Floor(t / TInitial);
            tI = TInitial;
            tCurr = t - TInitial * i;
        }
        if (!(i < CycleLimit)) return LrMin;
        double lrMax = BaseLr * Math.Pow(CycleDecay, i);
        return Shape switch
        {
            TimmCycleShape.Cosine => LrMin + 0.5 * (lrMax - LrMin) * (1 + Math.Cos(Math.PI * Math.Pow(tCurr, KDecay) / Math.Pow(tI, KDecay))),
            TimmCycleShape.Poly => LrMin + (lrMax - LrMin) * Math.Pow(1 - Math.Pow(tCurr, KDecay) / Math.Pow(tI, KDecay), Power),
            _ => LrMin + 0.5 * (lrMax - LrMin) * (1 - Math.Tanh(Lb * (1.0 - tCurr / tI) + Ub * (tCurr / tI))),
        };
    }
}
