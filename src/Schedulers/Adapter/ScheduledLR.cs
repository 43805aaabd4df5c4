using TorchSharp.Modules;
using TrainKit.Schedulers.Coupling;
using TrainKit.Schedulers.Schedules;
using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;

namespace TrainKit.Schedulers.Adapter;

/// <summary>
/// A TorchSharp <see cref="LRScheduler"/> that applies closed-form schedules (one per parameter group) to
/// any optimizer, and optionally co-schedules weight decay and momentum. PyTorch's convention: building it
/// applies t = 0; call <c>step()</c> once after every <c>optimizer.step()</c>. The state is a clock (where
/// the last <c>step(epoch)</c>/<c>step_to</c> put it and how many steps came since) and a rollback scale, so
/// <see cref="state_dict"/>/<see cref="load_state_dict"/> resume the exact sequence.
/// </summary>
public class ScheduledLR : LRScheduler
{
    // Which optimizers already have a scheduler: a second one would silently overwrite the first one's lrs.
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Optimizer, ScheduledLR> Attached = new();

    // LRScheduler's own fields are internal to TorchSharp: keep our own references (see the field notes).
    readonly ParamGroup[] _groups;
    readonly ISchedule[] _schedules;
    readonly Func<double, int, ISchedule> _schedulePerGroup;
    readonly bool _schedulesInSteps;
    readonly double[] _lrs, _pending;
    readonly double?[] _weightDecays, _momenta;
    double[] _baseLrs, _referenceLrs;
    double?[] _baseWeightDecays, _baseMomenta;
    // The clock: the time (in Axis units) set by the last step(epoch)/step_to, and the step count then.
    double _originTime;
    long _originStep;

    public TimeAxis Axis { get; }
    public WeightDecayCoupling WeightDecay { get; }
    public MomentumCoupling Momentum { get; }
    public IReadOnlyList<ISchedule> Schedules => _schedules;
    /// <summary>How many times <c>step</c> has been called since t = 0.</summary>
    public long StepCount { get; private set; }
    /// <summary>The current time in <see cref="Axis"/> units (steps, or fractional epochs).</summary>
    public double Time { get; private set; }
    /// <summary>The time the schedules are evaluated at: <see cref="Time"/>, or in steps when the schedules were
    /// built in steps from an epoch spec (see <see cref="Config.ScheduleUnits.ToSteps"/>).</summary>
    public double ScheduleTime { get; private set; }
    /// <summary>Multiplies every lr this scheduler sets (1 unless the trainer's divergence rollback lowered it).
    /// Works the same for every kind, including those that ignore the optimizer's lr (OneCycleLR, CyclicLR).</summary>
    public double LrScale { get; private set; } = 1;
    /// <summary>Names the schedule, so a state saved for another schedule is refused on load.</summary>
    public string Identity { get; }

    /// <param name="optimizer">Any TorchSharp optimizer.</param>
    /// <param name="schedulePerGroup">Builds group i's schedule from its base lr (the optimizer's initial lr).</param>
    /// <param name="axis">Time unit; steps by default.</param>
    /// <param name="weightDecay">Weight-decay coupling; <see cref="WeightDecayCoupling.Fixed"/> by default.</param>
    /// <param name="momentum">Momentum coupling; <see cref="MomentumCoupling.Auto"/> by default.</param>
    public ScheduledLR(Optimizer optimizer, Func<double, int, ISchedule> schedulePerGroup, TimeAxis? axis = null,
        WeightDecayCoupling? weightDecay = null, MomentumCoupling? momentum = null)
        : this(optimizer, schedulePerGroup, axis, weightDecay, momentum, schedulesInSteps: false, identity: null) { }

    /// <summary>The same schedule shape for every group, built from each group's base lr.</summary>
    public ScheduledLR(Optimizer optimizer, Func<double, ISchedule> schedule, TimeAxis? axis = null,
        WeightDecayCoupling? weightDecay = null, MomentumCoupling? momentum = null)
        : this(optimizer, (lr, _) => schedule(lr), axis, weightDecay, momentum) { }

    /// <summary>The full constructor. <c>schedulesInSteps</c>: the schedules take steps even when the axis is epochs
    /// (a spec written in epochs, converted to steps), while <c>step(epoch)</c> and <see cref="Time"/> stay in epochs.
    /// <c>identity</c>: what the state records as the schedule (a spec's JSON); the schedule types by default.</summary>
    internal ScheduledLR(Optimizer optimizer, Func<double, int, ISchedule> schedulePerGroup, TimeAxis? axis,
        WeightDecayCoupling? weightDecay, MomentumCoupling? momentum, bool schedulesInSteps, string? identity)
        : base(optimizer ?? throw new ArgumentNullException(nameof(optimizer)))
    {
        ArgumentNullException.ThrowIfNull(schedulePerGroup);
        if (Attached.TryGetValue(optimizer, out var other))
            throw new InvalidOperationException(
                $"this optimizer already has a scheduler ({other.Identity}); a second one would overwrite its learning rates. " +
                "Compose them in one spec instead: SequentialLR (one after the other, e.g. a warmup then a decay) or ChainedScheduler (both at once)");
        _groups = optimizer.ParamGroups.Cast<ParamGroup>().ToArray();
        _schedulePerGroup = schedulePerGroup;
        _schedulesInSteps = schedulesInSteps;
        _baseLrs = _groups.Select(g => g.InitialLearningRate).ToArray();
        _schedules = _baseLrs.Select((lr, i) => schedulePerGroup(lr, i)).ToArray();
        _referenceLrs = ReferenceLrs(_schedules, _baseLrs);
        Axis = axis ?? TimeAxis.Steps;
        WeightDecay = weightDecay ?? WeightDecayCoupling.Fixed;
        Momentum = momentum ?? MomentumCoupling.Auto;
        Identity = identity ?? string.Join(" | ", _schedules.Select(s => s.GetType().Name));
        _baseWeightDecays = _groups.Select(g => GroupHyperparameters.WeightDecay(g.Options)).ToArray();
        _baseMomenta = _groups.Select(g => GroupHyperparameters.Momentum(g.Options)).ToArray();
        _lrs = new double[_groups.Length];
        _pending = new double[_groups.Length];
        _weightDecays = (double?[])_baseWeightDecays.Clone();
        _momenta = (double?[])_baseMomenta.Clone();
        RequireSupport();
        Apply(0, 0, 0);
        Attached.AddOrUpdate(optimizer, this);
    }

    /// <summary>Each group's coupling reference: its schedule's peak (<see cref="IReferenceLr"/>), else its base lr.</summary>
    static double[] ReferenceLrs(ISchedule[] schedules, double[] baseLrs) =>
        schedules.Select((s, i) => s is IReferenceLr r ? r.ReferenceLr : baseLrs[i]).ToArray();

    /// <summary>The lr each group's couplings compare the current lr with (the schedule's peak; see the README's coupling table).</summary>
    public IReadOnlyList<double> ReferenceLearningRates => _referenceLrs;

    void RequireSupport()
    {
        for (int i = 0; i < _groups.Length; i++)
        {
            var options = _groups[i].Options;
            if (WeightDecay.Mode != WeightDecayMode.Fixed && !GroupHyperparameters.SupportsWeightDecay(options))
                throw GroupHyperparameters.Unsupported(options, "weight decay");
            bool movesMomentum = Momentum.Mode switch
            {
                MomentumMode.Fixed => false,
                MomentumMode.Auto => _schedules[i] is IMomentumSchedule { CyclesMomentum: true },
                _ => true,
            };
            if (movesMomentum && !GroupHyperparameters.SupportsMomentum(options))
                throw GroupHyperparameters.Unsupported(options, "momentum");
        }
    }

    /// <summary>Advance one step (PyTorch's <c>scheduler.step()</c>): one step after the current time, also after a
    /// <c>step(epoch)</c>/<c>step_to</c> (PyTorch: <c>step(26); step()</c> continues at 27).</summary>
    public override void step()
    {
        var (time, scheduleTime) = ClockAt(_originTime, _originStep, StepCount + 1);
        Apply(StepCount + 1, time, scheduleTime);
    }

    /// <summary>With an epoch, jump to that time (in the schedule's unit) like PyTorch's <c>step(epoch)</c>.</summary>
    public override void step(int? epoch)
    {
        if (epoch is null) step();
        else step_to(epoch.Value);
    }

    /// <summary>TorchSharp's metric overload: closed-form schedules ignore the metric (as PyTorch's do).
    /// Use the ReduceLROnPlateau kind to act on a metric.</summary>
    public override void step(double current, int? epoch = null) => step(epoch);

    /// <summary>Counts one step and sets the time (in <see cref="Axis"/> units) explicitly, e.g. SGDR's fractional
    /// epochs (k/iters_per_epoch); later <c>step()</c>s continue one step at a time from there.</summary>
    public void step_to(double time)
    {
        double t = Validation.Check.Time(time);
        var (_, scheduleTime) = ClockAt(t, StepCount + 1, StepCount + 1);
        Apply(StepCount + 1, t, scheduleTime);
        _originTime = t;
        _originStep = StepCount;
    }

    /// <summary>The clock after <paramref name="stepCount"/> steps when the last jump set <paramref name="originTime"/>
    /// at step <paramref name="originStep"/>. With no jump (origin 0) it is exactly steps, or steps/steps_per_epoch.</summary>
    (double Time, double ScheduleTime) ClockAt(double originTime, long originStep, long stepCount)
    {
        long n = stepCount - originStep;
        double time = originTime + Axis.TimeOf(n);
        return (time, _schedulesInSteps && Axis.Unit == TimeUnit.Epochs ? originTime * Axis.StepsPerEpoch + n : time);
    }

    /// <summary>The learning rate per group after the last step (PyTorch's <c>get_last_lr()</c>): a copy.</summary>
    public new IReadOnlyList<double> get_last_lr() => (double[])_lrs.Clone();

    /// <summary>Group <paramref name="group"/>'s learning rate after the last step, without copying.</summary>
    public double LastLr(int group) => _lrs[group];

    /// <summary>The weight decay per group after the last step (null: the optimizer has none).</summary>
    public IReadOnlyList<double?> get_last_weight_decay() => (double?[])_weightDecays.Clone();

    /// <summary>The momentum (SGD/RMSprop) or beta1 (Adam family) per group after the last step.</summary>
    public IReadOnlyList<double?> get_last_momentum() => (double?[])_momenta.Clone();

    /// <summary>Group <paramref name="group"/>'s weight decay and momentum after the last step, without copying.</summary>
    public (double? WeightDecay, double? Momentum) LastHyperparameters(int group) => (_weightDecays[group], _momenta[group]);

    protected override IEnumerable<double> get_lr() => _lrs;
    protected override IEnumerable<double> get_closed_form_lr() => _lrs;

    /// <summary>The learning rate of group <paramref name="group"/> at schedule time t (before <see cref="LrScale"/>);
    /// plateau-style subclasses scale it.</summary>
    protected virtual double LearningRateAt(int group, double t) => _schedules[group].At(t);

    protected IReadOnlyList<double> BaseLrs => _baseLrs;

    /// <summary>Re-applies the current time (after a subclass changed its own state).</summary>
    protected void Reapply() => Apply(StepCount, Time, ScheduleTime);

    /// <summary>Sets <see cref="LrScale"/> (the trainer's divergence rollback) and re-applies the current time.</summary>
    public void SetLrScale(double scale)
    {
        LrScale = Validation.Check.Positive(scale, "lr_scale");
        Reapply();
    }

    void Apply(long stepCount, double time, double scheduleTime)
    {
        // Evaluate everything first so a bad time (e.g. past OneCycle's total_steps) changes nothing.
        for (int i = 0; i < _pending.Length; i++)
        {
            double lr = LearningRateAt(i, scheduleTime) * LrScale;
            // Parameters that pass validation can still overflow at some time (e.g. a step size of 1e-300):
            // a NaN/∞ lr is a clear error here, never written into the optimizer. (A negative one is PyTorch's own
            // extrapolation, e.g. linear three-phase OneCycleLR at t = total_steps, so it is passed through.)
            if (!double.IsFinite(lr))
                throw new ArgumentException($"lr: the schedule ({Identity}) gives {lr} for group {i} at t = {scheduleTime}; its parameters overflow at this time", "lr");
            _pending[i] = lr;
        }
        for (int i = 0; i < _pending.Length; i++)
        {
            var options = _groups[i].Options;
            double lr = _pending[i], unscaled = lr / LrScale;
            _lrs[i] = lr;
            if (WeightDecay.Mode != WeightDecayMode.Fixed)
            {
                double wd = WeightDecay.WeightDecayAt(scheduleTime, unscaled, _referenceLrs[i], _baseWeightDecays[i] ?? 0);
                GroupHyperparameters.SetWeightDecay(options, wd);
                _weightDecays[i] = wd;
            }
            double? m = Momentum.MomentumAt(scheduleTime, unscaled, _referenceLrs[i], _baseMomenta[i] ?? 0, _schedules[i] as IMomentumSchedule);
            if (m is double momentum)
            {
                GroupHyperparameters.SetMomentum(options, momentum);
                _momenta[i] = momentum;
            }
        }
        StepCount = stepCount;
        Time = time;
        ScheduleTime = scheduleTime;
        // TorchSharp's step writes the lrs into the groups (via get_lr) and keeps its get_last_lr() current.
        base.step(null);
    }

    /// <summary>The state to checkpoint (JSON via <see cref="SchedulerState.ToJson"/>).</summary>
    public virtual SchedulerState state_dict() => new()
    {
        Schedule = Identity,
        StepCount = StepCount,
        Time = Time,
        OriginTime = _originTime,
        OriginStep = _originStep,
        LrScale = LrScale,
        BaseLrs = (double[])_baseLrs.Clone(),
        BaseWeightDecays = (double?[])_baseWeightDecays.Clone(),
        BaseMomenta = (double?[])_baseMomenta.Clone(),
        LastLrs = (double[])_lrs.Clone(),
    };

    /// <summary>Continues from a saved state: restores the clock and reference values and re-applies lr,
    /// weight decay and momentum for that time, so the next <c>step()</c> gives the uninterrupted value.
    /// A state saved by a different schedule is refused.</summary>
    public virtual void load_state_dict(SchedulerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Validation.Check.That(state.Schedule is null || state.Schedule == Identity, "schedule",
            $"of the saved state ({state.Schedule}) is not this scheduler's ({Identity}); a state only resumes the schedule that wrote it");
        LoadClock(state);
    }

    /// <summary>Continues the clock of a state that another schedule wrote: a run forked at that step with a new
    /// schedule tail. Step count, base values per group and rollback scale are restored as by <see cref="load_state_dict"/>,
    /// and this schedule is evaluated at that step, so the tail is a function of the run's global step. Kind-specific
    /// bookkeeping (ReduceLROnPlateau's) starts fresh. A clock moved by <c>step(epoch)</c>/<c>step_to</c> is refused: its
    /// time is in the other schedule's unit, which this one may not share.</summary>
    public void ContinueClock(SchedulerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Validation.Check.That(state.OriginStep == 0 && state.OriginTime == 0, "origin_time",
            $"of the saved state is {state.OriginTime} at step {state.OriginStep} (moved by step(epoch)/step_to); only a clock counted in steps continues under another schedule");
        LoadClock(state with { Time = ClockAt(0, 0, state.StepCount).Time });
    }

    void LoadClock(SchedulerState state)
    {
        Validation.Check.That(state.BaseLrs.Length == _groups.Length, "base_lrs",
            $"has {state.BaseLrs.Length} entries but the optimizer has {_groups.Length} parameter groups");
        Validation.Check.That(state.StepCount >= 0, "step_count", $"must be >= 0, got {state.StepCount}");
        Validation.Check.That(state.OriginStep >= 0 && state.OriginStep <= state.StepCount, "origin_step", $"must be in [0, step_count], got {state.OriginStep}");
        Validation.Check.Time(state.OriginTime);
        Validation.Check.Positive(state.LrScale, "lr_scale");
        _baseLrs = (double[])state.BaseLrs.Clone();
        for (int i = 0; i < _schedules.Length; i++) _schedules[i] = _schedulePerGroup(_baseLrs[i], i);
        _referenceLrs = ReferenceLrs(_schedules, _baseLrs);
        if (state.BaseWeightDecays.Length == _groups.Length) _baseWeightDecays = (double?[])state.BaseWeightDecays.Clone();
        if (state.BaseMomenta.Length == _groups.Length) _baseMomenta = (double?[])state.BaseMomenta.Clone();
        _originTime = state.OriginTime;
        _originStep = state.OriginStep;
        LrScale = state.LrScale;
        var (_, scheduleTime) = ClockAt(_originTime, _originStep, state.StepCount);
        Apply(state.StepCount, state.Time, scheduleTime);
    }
}
