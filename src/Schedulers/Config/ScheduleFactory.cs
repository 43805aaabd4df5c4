using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Coupling;
using TrainKit.Schedulers.Schedules;
using static TorchSharp.torch.optim;

namespace TrainKit.Schedulers.Config;

/// <summary>Builds schedules and schedulers from a <see cref="ScheduleSpec"/>.</summary>
public static class ScheduleFactory
{
    /// <summary>The closed-form schedule for one group (for plots, tables and tests; no optimizer needed), as a function
    /// of time in the spec's unit. A spec in epochs is built in steps (<see cref="ScheduleUnits.ToSteps"/>) and read at
    /// t·steps_per_epoch.</summary>
    public static ISchedule CreateSchedule(ScheduleSpec spec, GroupContext group)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Unit == TimeUnit.Steps) return ScheduleCatalog.Build(ScheduleUnits.ToSteps(spec), group);
        return new EpochTimeSchedule(ScheduleCatalog.Build(ScheduleUnits.ToSteps(spec), group), AxisOf(spec).StepsPerEpoch);
    }

    /// <summary>A schedule built in steps, read in epochs. A product t·steps_per_epoch that lands within rounding of a
    /// whole step is that step, so step-boundary kinds (StepLR, milestones) switch where the steps schedule does.</summary>
    sealed class EpochTimeSchedule(ISchedule steps, int perEpoch) : ISchedule
    {
        public double At(double t)
        {
            double s = Validation.Check.Time(t) * perEpoch, whole = Math.Round(s);
            return steps.At(Math.Abs(s - whole) <= 1e-9 * Math.Max(1, whole) ? whole : s);
        }
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
        _ when spec.WeightDecay?.MaxFactor is not null && spec.WeightDecay.Mode != WeightDecayMode.ConstantProduct =>
            throw new ArgumentException("weight_decay.max_factor only applies to mode constant_product", "weight_decay.max_factor"),
        WeightDecayMode.Fixed => WeightDecayCoupling.Fixed,
        WeightDecayMode.FollowSchedule => WeightDecayCoupling.FollowSchedule,
        WeightDecayMode.ConstantProduct => spec.WeightDecay!.MaxFactor is double cap ? WeightDecayCoupling.ConstantProductCapped(cap) : WeightDecayCoupling.ConstantProduct,
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
        // Schedules are built in steps (a spec in epochs is rewritten), so integer-step offsets mean steps.
        var inSteps = ScheduleUnits.ToSteps(spec);
        var wd = weightDecay ?? WeightDecayOf(spec);
        var mom = momentum ?? MomentumOf(spec);
        string identity = IdentityOf(spec);
        if (kind.NeedsMetric)
        {
            var (options, warmup, startFactor) = ScheduleCatalog.ReadPlateau(new ParamReader(kind, inSteps.Params));
            var multiplier = ScheduleCatalog.PlateauWarmup(1.0, warmup, startFactor);
            return new ReduceLROnPlateauWithWarmup(optimizer, options, multiplier, warmup, axis, wd, mom, schedulesInSteps: true, identity);
        }
        // HF's polynomial and min_lr schedules read the optimizer's lr (its defaults["lr"]): the first group's.
        double optimizerLr = optimizer.ParamGroups.Cast<TorchSharp.Modules.ParamGroup>().First().InitialLearningRate;
        return new ScheduledLR(optimizer, (lr, i) => CreateSchedule(inSteps, new GroupContext(lr, i, groups, optimizerLr)), axis, wd, mom,
            schedulesInSteps: true, identity: identity);
    }

    /// <summary>What a scheduler state records as its schedule: the spec's kind, parameters and time unit, compact.</summary>
    static string IdentityOf(ScheduleSpec spec) =>
        System.Text.Json.JsonSerializer.Serialize(new System.Text.Json.Nodes.JsonObject
        {
            ["kind"] = ScheduleCatalog.Describe(spec.Kind).Name,
            ["params"] = spec.Params.DeepClone(),
            ["unit"] = spec.Unit == TimeUnit.Epochs ? "epochs" : "steps",
            ["steps_per_epoch"] = spec.StepsPerEpoch,
        });
}
