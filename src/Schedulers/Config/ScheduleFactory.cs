using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Coupling;
using TrainKit.Schedulers.Schedules;
using static TorchSharp.torch.optim;

namespace TrainKit.Schedulers.Config;

/// <summary>Builds schedules and schedulers from a <see cref="ScheduleSpec"/>.</summary>
public static class ScheduleFactory
{
    /// <summary>The closed-form schedule for one group (for plots, tables and tests; no optimizer needed).</summary>
    public static ISchedule CreateSchedule(ScheduleSpec spec, GroupContext group)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ScheduleCatalog.Build(spec, group);
    }

    /// <summary>The closed-form schedule for a single group with base lr <paramref name="baseLr"/>.</summary>
    public static ISchedule CreateSchedule(ScheduleSpec spec, double baseLr) => CreateSchedule(spec, new GroupContext(baseLr));

    /// <summary>The time axis the spec declares (epochs need steps_per_epoch).</summary>
    public static TimeAxis AxisOf(ScheduleSpec spec) => spec.Unit switch
    {
        TimeUnit.Steps when spec.StepsPerEpoch is not null and not 1 =>
            throw new ArgumentException("steps_per_epoch only applies when unit is epochs", "steps_per_epoch"),
        TimeUnit.Steps => TimeAxis.Steps,
        _ => TimeAxis.EpochsOf(spec.StepsPerEpoch ?? throw new ArgumentException("steps_per_epoch is required when unit is epochs (how many scheduler steps make an epoch)", "steps_per_epoch")),
    };

    public static WeightDecayCoupling WeightDecayOf(ScheduleSpec spec) => (spec.WeightDecay?.Mode ?? WeightDecayMode.Fixed) switch
    {
        WeightDecayMode.Fixed => WeightDecayCoupling.Fixed,
        WeightDecayMode.FollowSchedule => WeightDecayCoupling.FollowSchedule,
        WeightDecayMode.ConstantProduct => WeightDecayCoupling.ConstantProduct,
        _ => throw new ArgumentException("weight_decay.mode 'custom' needs a function: pass a WeightDecayCoupling.Custom(...) in code", "weight_decay"),
    };

    public static MomentumCoupling MomentumOf(ScheduleSpec spec) => (spec.Momentum?.Mode ?? MomentumMode.Auto) switch
    {
        MomentumMode.Auto => MomentumCoupling.Auto,
        MomentumMode.Fixed => MomentumCoupling.Fixed,
        MomentumMode.InverseToLr => MomentumCoupling.InverseToLr(spec.Momentum!.BaseMomentum ?? 0.85, spec.Momentum.MaxMomentum ?? 0.95),
        _ => throw new ArgumentException("momentum.mode 'custom' needs a function: pass a MomentumCoupling.Custom(...) in code", "momentum"),
    };

    /// <summary>
    /// The scheduler for <paramref name="optimizer"/>: one schedule per parameter group from the group's
    /// initial lr, the spec's time unit and couplings (code-only custom couplings override the spec's).
    /// Building it applies t = 0.
    /// </summary>
    public static ScheduledLR CreateScheduler(ScheduleSpec spec, Optimizer optimizer,
        WeightDecayCoupling? weightDecay = null, MomentumCoupling? momentum = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(optimizer);
        var kind = ScheduleCatalog.Describe(spec.Kind);
        int groups = optimizer.ParamGroups.Count();
        var axis = AxisOf(spec);
        var wd = weightDecay ?? WeightDecayOf(spec);
        var mom = momentum ?? MomentumOf(spec);
        if (kind.NeedsMetric)
        {
            var (options, warmup, startFactor) = ScheduleCatalog.ReadPlateau(new ParamReader(kind, spec.Params));
            var multiplier = ScheduleCatalog.PlateauWarmup(1.0, warmup, startFactor);
            return new ReduceLROnPlateauWithWarmup(optimizer, options, multiplier, warmup, axis, wd, mom);
        }
        return new ScheduledLR(optimizer, (lr, i) => CreateSchedule(spec, new GroupContext(lr, i, groups)), axis, wd, mom);
    }
}
