using System.Text.Json.Nodes;
using TrainKit.Schedulers.Schedules;
using static TrainKit.Schedulers.Config.ParamType;
using static TrainKit.Schedulers.Config.ParamUnit;

namespace TrainKit.Schedulers.Config;

/// <summary>
/// timm's schedulers (timm/scheduler: CosineLRScheduler, PolyLRScheduler, TanhLRScheduler, StepLRScheduler,
/// MultiStepLRScheduler) as kinds in their own namespace, with timm's parameter names: cycles with cycle_mul,
/// cycle_decay and cycle_limit, k-decay, a warmup that either overlays the first cycle or comes before it
/// (warmup_prefix), and timm's seeded lr noise (noise_range_t, noise_type, noise_pct, noise_seed). Time is timm's
/// t: updates (timm's t_in_epochs=False) or, with "unit": "epochs", epochs rewritten to updates like every other kind.
/// The numbers are pinned by fixtures from timm's formulas run with PyTorch's own generator for the noise.
/// </summary>
public static partial class ScheduleCatalog
{
    /// <summary>The prefix of the timm kinds.</summary>
    public const string TimmPrefix = "timm.";

    static ParamInfo[] TimmWarmup(bool prefixByDefault) =>
    [
        P("warmup_t", Number, Time, "Linear warmup length (timm)", 0.0, 0),
        P("warmup_lr_init", Number, Lr, "lr at the start of the warmup (absolute)", 0.0, 0),
        P("warmup_prefix", ParamType.Boolean, None, "Warmup before the first cycle (true) or over its start (false)", prefixByDefault),
    ];

    // Methods, not static fields: the Entries initializer in another part of this partial class runs first.
    static ParamInfo[] TimmNoise() =>
    [
        P("noise_range_t", NumberList, Time, "Noise from [start] on, or over [start, end) (a single number: start)", null, 0, note: "no noise"),
        P("noise_type", Choice, None, "normal: standard normal kept inside ±noise_pct; uniform: on ±noise_pct", "normal", choices: ["normal", "uniform"]),
        P("noise_pct", Number, Ratio, "Bound of the relative noise", 0.67, 0, minEx: true),
        P("noise_std", Number, Factor, "Accepted for timm configs; timm does not use it, nor does TrainKit", 1.0, 0),
        P("noise_seed", Integer, Count, "Seed; the noise at t is drawn with seed + t", 42.0),
    ];

    static ParamInfo[] TimmCycles(params ParamInfo[] shape) =>
    [
        P("t_initial", Number, Time, "Length of the first cycle (timm: the run's epochs or updates)", null, 0, minEx: true) with { RunLength = true },
        P("lr_min", Number, Lr, "Lowest lr (absolute)", 0.0, 0),
        P("cycle_mul", Number, Factor, "Cycle length growth", 1.0, 1),
        P("cycle_decay", Number, Factor, "Peak of cycle i is base·cycle_decay^i", 1.0, 0, minEx: true),
        P("cycle_limit", Integer, Count, "Cycles run; lr_min after them", 1.0, 0),
        .. shape, .. TimmWarmup(false), .. TimmNoise(),
    ];

    static ParamInfo KDecay() => P("k_decay", Number, Factor, "k-decay exponent on t_curr/t_i (1: timm's plain curve)", 1.0, 0, minEx: true);
    static ParamInfo DecayRate() => P("decay_rate", Number, Factor, "Multiplier at each decay", 1.0, 0);

    static Entry[] TimmEntries() =>
    [
        new(new KindInfo("timm.cosine", "timm CosineLRScheduler: cosine cycles (SGDR) with cycle_mul/decay/limit, k-decay, warmup, noise",
            TimmCycles(KDecay())),
            (r, g) => TimmCycle(r, g, TimmCycleShape.Cosine)),

        new(new KindInfo("timm.poly", "timm PolyLRScheduler: (1 − t_curr^k/t_i^k)^power cycles, warmup, noise",
            TimmCycles(P("power", Number, Factor, "Exponent", 0.5, 0, minEx: true), KDecay())),
            (r, g) => TimmCycle(r, g, TimmCycleShape.Poly)),

        new(new KindInfo("timm.tanh", "timm TanhLRScheduler: ½(1 − tanh(lb(1 − r) + ub·r)) cycles, warmup, noise",
            TimmCycles(P("lb", Number, Factor, "tanh argument at the cycle start", -7.0), P("ub", Number, Factor, "tanh argument at the cycle end", 3.0))),
            (r, g) => TimmCycle(r, g, TimmCycleShape.Tanh)),

        new(new KindInfo("timm.step", "timm StepLRScheduler: base·decay_rate^⌊t/decay_t⌋ after a warmup (prefix by default), noise",
            [P("decay_t", Number, Time, "Period of the decay", null, 0, minEx: true), DecayRate(), .. TimmWarmup(true), .. TimmNoise()]),
            (r, g) => TimmPlumbing(r, g, new TimmStepSchedule(g.BaseLr, r.Number("decay_t"), r.Number("decay_rate")))),

        new(new KindInfo("timm.multistep", "timm MultiStepLRScheduler: decay_rate at each milestone m once t + 1 ≥ m, after a warmup, noise",
            [P("decay_t", NumberList, Time, "Milestones (non-decreasing)"), DecayRate(), .. TimmWarmup(true), .. TimmNoise()]),
            (r, g) => TimmPlumbing(r, g, new TimmStepSchedule(g.BaseLr, r.Numbers("decay_t"), r.Number("decay_rate")))),
    ];

    static ISchedule TimmCycle(ParamReader r, GroupContext g, TimmCycleShape shape)
    {
        var cycle = new TimmCycleSchedule(g.BaseLr, shape, r.Number("t_initial"), r.Number("lr_min"), r.Number("cycle_mul"),
            r.Number("cycle_decay"), r.Integer("cycle_limit"),
            kDecay: shape == TimmCycleShape.Tanh ? 1 : r.Number("k_decay"),
            power: shape == TimmCycleShape.Poly ? r.Number("power") : 0.5,
            lb: shape == TimmCycleShape.Tanh ? r.Number("lb") : -7,
            ub: shape == TimmCycleShape.Tanh ? r.Number("ub") : 3);
        // TanhLRScheduler alone warms up (without prefix) to its own curve's value at warmup_t, not to the base lr.
        double warmup = r.Number("warmup_t");
        double? target = shape == TimmCycleShape.Tanh && warmup > 0 && !r.Bool("warmup_prefix") ? cycle.At(warmup) : null;
        return TimmPlumbing(r, g, cycle, target);
    }

    /// <summary>timm's base-class plumbing: the warmup (and the constructor's lr at t = 0), then the noise.</summary>
    static ISchedule TimmPlumbing(ParamReader r, GroupContext g, ISchedule curve, double? warmupTarget = null)
    {
        ISchedule schedule = new TimmWarmupSchedule(curve, g.BaseLr, r.Number("warmup_t"), r.Number("warmup_lr_init"), r.Bool("warmup_prefix"), warmupTarget);
        // The noise settings are checked even while noise_range_t leaves the noise off, so a typo'd value never waits.
        var type = Validation.Check.OneOf(r.Text("noise_type"), "noise_type", "normal", "uniform") == "uniform" ? LrNoiseType.Uniform : LrNoiseType.Normal;
        double pct = Validation.Check.Positive(r.Number("noise_pct"), "noise_pct");
        Validation.Check.NonNegative(r.Number("noise_std"), "noise_std");
        int seed = r.Integer("noise_seed");
        if (!r.Has("noise_range_t")) return schedule;
        var (start, end) = NoiseRange(r);
        return new LrNoiseSchedule(schedule, start, end, type, pct, seed);
    }

    /// <summary>timm's noise_range_t: a number (noise from it on) or a list of one or two (start, and an exclusive end).</summary>
    static (double Start, double? End) NoiseRange(ParamReader r)
    {
        if (!r.IsList("noise_range_t")) return (r.Number("noise_range_t"), null);
        var range = r.Numbers("noise_range_t");
        return range.Length switch
        {
            1 => (range[0], null),
            2 => (range[0], range[1]),
            _ => throw new ArgumentException($"noise_range_t must be a number, [start] or [start, end], got {range.Length} values", "noise_range_t"),
        };
    }
}
