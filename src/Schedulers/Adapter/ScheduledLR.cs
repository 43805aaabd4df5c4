using TorchSharp.Modules;
using TrainKit.Schedulers.Coupling;
using TrainKit.Schedulers.Schedules;
using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;

namespace TrainKit.Schedulers.Adapter;

/// <summary>
/// A TorchSharp <see cref="LRScheduler"/> that applies closed-form schedules (one per parameter group) to
/// any optimizer, and optionally co-schedules weight decay and momentum. PyTorch's convention: building it
/// applies t = 0; call <c>step()</c> once after every <c>optimizer.step()</c>. The only state is a step
/// counter, so <see cref="state_dict"/>/<see cref="load_state_dict"/> resume the exact sequence.
/// </summary>
public class ScheduledLR : LRScheduler
{
    // LRScheduler's own fields are internal to TorchSharp: keep our own references (see the field notes).
    readonly ParamGroup[] _groups;
    readonly ISchedule[] _schedules;
    readonly Func<double, int, ISchedule> _schedulePerGroup;
    readonly double[] _lrs;
    readonly double?[] _weightDecays, _momenta;
    double[] _baseLrs;
    double?[] _baseWeightDecays, _baseMomenta;

    public TimeAxis Axis { get; }
    public WeightDecayCoupling WeightDecay { get; }
    public MomentumCoupling Momentum { get; }
    public IReadOnlyList<ISchedule> Schedules => _schedules;
    /// <summary>How many times <c>step</c> has been called since t = 0.</summary>
    public long StepCount { get; private set; }
    /// <summary>The current schedule time (steps or epochs, per <see cref="Axis"/>).</summary>
    public double Time { get; private set; }

    /// <param name="optimizer">Any TorchSharp optimizer.</param>
    /// <param name="schedulePerGroup">Builds group i's schedule from its base lr (the optimizer's initial lr).</param>
    /// <param name="axis">Time unit; steps by default.</param>
    /// <param name="weightDecay">Weight-decay coupling; <see cref="WeightDecayCoupling.Fixed"/> by default.</param>
    /// <param name="momentum">Momentum coupling; <see cref="MomentumCoupling.Auto"/> by default.</param>
    public ScheduledLR(Optimizer optimizer, Func<double, int, ISchedule> schedulePerGroup, TimeAxis? axis = null,
        WeightDecayCoupling? weightDecay = null, MomentumCoupling? momentum = null)
        : base(optimizer ?? throw new ArgumentNullException(nameof(optimizer)))
    {
        ArgumentNullException.ThrowIfNull(schedulePerGroup);
        _groups = optimizer.ParamGroups.Cast<ParamGroup>().ToArray();
        _schedulePerGroup = schedulePerGroup;
        _baseLrs = _groups.Select(g => g.InitialLearningRate).ToArray();
        _schedules = _baseLrs.Select((lr, i) => schedulePerGroup(lr, i)).ToArray();
        Axis = axis ?? TimeAxis.Steps;
        WeightDecay = weightDecay ?? WeightDecayCoupling.Fixed;
        Momentum = momentum ?? MomentumCoupling.Auto;
        _baseWeightDecays = _groups.Select(g => GroupHyperparameters.WeightDecay(g.Options)).ToArray();
        _baseMomenta = _groups.Select(g => GroupHyperparameters.Momentum(g.Options)).ToArray();
        _lrs = new double[_groups.Length];
        _weightDecays = (double?[])_baseWeightDecays.Clone();
        _momenta = (double?[])_baseMomenta.Clone();
        RequireSupport();
        Apply(0, 0);
    }

    /// <summary>The same schedule shape for every group, built from each group's base lr.</summary>
    public ScheduledLR(Optimizer optimizer, Func<double, ISchedule> schedule, TimeAxis? axis = null,
        WeightDecayCoupling? weightDecay = null, MomentumCoupling? momentum = null)
        : this(optimizer, (lr, _) => schedule(lr), axis, weightDecay, momentum) { }

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

    /// <summary>Advance one step (PyTorch's <c>scheduler.step()</c>).</summary>
    public override void step() => Apply(StepCount + 1, Axis.TimeOf(StepCount + 1));

    /// <summary>With an epoch, jump to that time (in the schedule's unit) like PyTorch's <c>step(epoch)</c>.</summary>
    public override void step(int? epoch)
    {
        if (epoch is null) step();
        else step_to(epoch.Value);
    }

    /// <summary>TorchSharp's metric overload: closed-form schedules ignore the metric (as PyTorch's do).
    /// Use the ReduceLROnPlateau kind to act on a metric.</summary>
    public override void step(double current, int? epoch = null) => step(epoch);

    /// <summary>Counts one step and sets the time explicitly, e.g. SGDR's fractional epochs (k/iters_per_epoch).</summary>
    public void step_to(double time) => Apply(StepCount + 1, Validation.Check.Time(time));

    /// <summary>The learning rate per group after the last step (PyTorch's <c>get_last_lr()</c>).</summary>
    public new IReadOnlyList<double> get_last_lr() => _lrs;

    /// <summary>The weight decay per group after the last step (null: the optimizer has none).</summary>
    public IReadOnlyList<double?> get_last_weight_decay() => _weightDecays;

    /// <summary>The momentum (SGD/RMSprop) or beta1 (Adam/AdamW) per group after the last step.</summary>
    public IReadOnlyList<double?> get_last_momentum() => _momenta;

    protected override IEnumerable<double> get_lr() => _lrs;
    protected override IEnumerable<double> get_closed_form_lr() => _lrs;

    /// <summary>The learning rate of group <paramref name="group"/> at time t; plateau-style subclasses scale it.</summary>
    protected virtual double LearningRateAt(int group, double t) => _schedules[group].At(t);

    protected IReadOnlyList<double> BaseLrs => _baseLrs;

    /// <summary>Re-applies the current time (after a subclass changed its own state).</summary>
    protected void Reapply() => Apply(StepCount, Time);

    void Apply(long stepCount, double time)
    {
        // Evaluate everything first so a bad time (e.g. past OneCycle's total_steps) changes nothing.
        var lrs = new double[_groups.Length];
        for (int i = 0; i < lrs.Length; i++) lrs[i] = LearningRateAt(i, time);
        for (int i = 0; i < lrs.Length; i++)
        {
            var options = _groups[i].Options;
            _lrs[i] = lrs[i];
            if (WeightDecay.Mode != WeightDecayMode.Fixed)
            {
                double wd = WeightDecay.WeightDecayAt(time, lrs[i], _baseLrs[i], _baseWeightDecays[i] ?? 0);
                GroupHyperparameters.SetWeightDecay(options, wd);
                _weightDecays[i] = wd;
            }
            double? m = Momentum.MomentumAt(time, lrs[i], _baseLrs[i], _baseMomenta[i] ?? 0, _schedules[i] as IMomentumSchedule);
            if (m is double momentum)
            {
                GroupHyperparameters.SetMomentum(options, momentum);
                _momenta[i] = momentum;
            }
        }
        StepCount = stepCount;
        Time = time;
        // TorchSharp's step writes the lrs into the groups (via get_lr) and keeps its get_last_lr() current.
        base.step(null);
    }

    /// <summary>The state to checkpoint (JSON via <see cref="SchedulerState.ToJson"/>).</summary>
    public virtual SchedulerState state_dict() => new()
    {
        StepCount = StepCount,
        Time = Time,
        BaseLrs = (double[])_baseLrs.Clone(),
        BaseWeightDecays = (double?[])_baseWeightDecays.Clone(),
        BaseMomenta = (double?[])_baseMomenta.Clone(),
        LastLrs = (double[])_lrs.Clone(),
    };

    /// <summary>Continues from a saved state: restores the clock and reference values and re-applies lr,
    /// weight decay and momentum for that time, so the next <c>step()</c> gives the uninterrupted value.</summary>
    public virtual void load_state_dict(SchedulerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Validation.Check.That(state.BaseLrs.Length == _groups.Length, "base_lrs",
            $"has {state.BaseLrs.Length} entries but the optimizer has {_groups.Length} parameter groups");
        Validation.Check.That(state.StepCount >= 0, "step_count", $"must be >= 0, got {state.StepCount}");
        _baseLrs = (double[])state.BaseLrs.Clone();
        for (int i = 0; i < _schedules.Length; i++) _schedules[i] = _schedulePerGroup(_baseLrs[i], i);
        if (state.BaseWeightDecays.Length == _groups.Length) _baseWeightDecays = (double?[])state.BaseWeightDecays.Clone();
        if (state.BaseMomenta.Length == _groups.Length) _baseMomenta = (double?[])state.BaseMomenta.Clone();
        Apply(state.StepCount, state.Time);
    }
}
