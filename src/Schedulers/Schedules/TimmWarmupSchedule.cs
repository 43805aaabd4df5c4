using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// timm's warmup around any schedule (timm/scheduler/*_lr.py): for t &lt; warmup_t the lr is
/// warmup_lr_init + t·(target − warmup_lr_init)/warmup_t, after it the wrapped schedule, read at t − warmup_t when
/// <c>warmup_prefix</c> (one warmup before the first cycle) or at t itself otherwise (the warmup covers the start of
/// the first cycle, and the lr jumps to the cycle's value at warmup_t). The target is the base lr, except for
/// TanhLRScheduler without prefix, which warms up to its own value at warmup_t.
/// At t = 0 this is the lr timm's constructor leaves in the optimizer (warmup_lr_init, or the base lr without
/// warmup): timm never evaluates its curve at 0, which matters for the tanh curve (1 − tanh(lb) is not 2).
/// </summary>
public sealed class TimmWarmupSchedule : ISchedule
{
    public ISchedule After { get; }
    public double BaseLr { get; }
    public double WarmupT { get; }
    public double WarmupLrInit { get; }
    public bool WarmupPrefix { get; }
    public double Target { get; }
    readonly double _slope;

    public TimmWarmupSchedule(ISchedule after, double baseLr, double warmupT, double warmupLrInit, bool warmupPrefix, double? target = null)
    {
        After = after ?? throw new ArgumentNullException(nameof(after));
        BaseLr = Check.NonNegative(baseLr, "lr");
        WarmupT = Check.NonNegative(warmupT, "warmup_t");
        WarmupLrInit = Check.NonNegative(warmupLrInit, "warmup_lr_init");
        WarmupPrefix = warmupPrefix;
        Target = target ?? baseLr;
        // timm's warmup_steps per group: (v − warmup_lr_init) / warmup_t, then init + t·step.
        _slope = warmupT > 0 ? (Target - warmupLrInit) / warmupT : 0;
    }

    public double At(double t)
    {
        Check.Time(t);
        if (t == 0) return WarmupT > 0 ? WarmupLrInit : BaseLr;
        if (t < WarmupT) return WarmupLrInit + t * _slope;
        return After.At(WarmupPrefix ? t - WarmupT : t);
    }
}
