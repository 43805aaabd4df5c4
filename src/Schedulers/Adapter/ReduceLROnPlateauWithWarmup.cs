using TrainKit.Schedulers.Coupling;
using TrainKit.Schedulers.Schedules;
using TrainKit.Schedulers.Validation;
using static TorchSharp.torch.optim;

namespace TrainKit.Schedulers.Adapter;

/// <summary>ReduceLROnPlateau's settings, with PyTorch's names and defaults.</summary>
public sealed record PlateauOptions
{
    public string Mode { get; init; } = "min";
    public double Factor { get; init; } = 0.1;
    public int Patience { get; init; } = 10;
    public double Threshold { get; init; } = 1e-4;
    public string ThresholdMode { get; init; } = "rel";
    public int Cooldown { get; init; }
    public double MinLr { get; init; }
    /// <summary>PyTorch's list form of min_lr: one floor per parameter group (wins over <see cref="MinLr"/>).</summary>
    public IReadOnlyList<double>? MinLrs { get; init; }
    public double Eps { get; init; } = 1e-8;

    /// <summary>Group <paramref name="group"/>'s floor.</summary>
    public double MinLrOf(int group) => MinLrs is { } list ? list[group] : MinLr;

    public PlateauOptions Validated()
    {
        Check.OneOf(Mode, "mode", "min", "max");
        Check.Between(Factor, 0, 1, "factor");
        Check.NonNegativeInt(Patience, "patience");
        Check.NonNegative(Threshold, "threshold");
        Check.OneOf(ThresholdMode, "threshold_mode", "rel", "abs");
        Check.NonNegativeInt(Cooldown, "cooldown");
        Check.NonNegative(MinLr, "min_lr");
        foreach (double m in MinLrs ?? []) Check.NonNegative(m, "min_lr");
        Check.NonNegative(Eps, "eps");
        return this;
    }
}

/// <summary>
/// PyTorch's ReduceLROnPlateau composed with a warmup: lr = plateau_lr · warmup(t), where warmup is any
/// closed-form multiplier schedule built with base 1 (e.g. a LinearLR warmup; a constant 1 for none) and
/// plateau_lr starts at the group's base lr and is cut by <c>factor</c> when the metric stops improving.
/// <c>step()</c> advances time (once per optimizer step); <c>step(metric)</c> reports a metric (e.g. once
/// per epoch) without moving time. Metrics reported while the warmup is still running are ignored, so a
/// warming-up lr is never cut.
/// </summary>
public sealed class ReduceLROnPlateauWithWarmup : ScheduledLR
{
    readonly PlateauOptions _options;
    readonly double _warmupSteps;
    double[]? _plateauLrs;
    double _best;
    int _numBadEpochs, _cooldownCounter;

    public ReduceLROnPlateauWithWarmup(Optimizer optimizer, PlateauOptions options, ISchedule? warmupMultiplier = null, double warmupSteps = 0,
        TimeAxis? axis = null, WeightDecayCoupling? weightDecay = null, MomentumCoupling? momentum = null)
        : this(optimizer, options, warmupMultiplier, warmupSteps, axis, weightDecay, momentum, schedulesInSteps: false, identity: null) { }

    /// <summary>The factory's constructor: the warmup is in steps even when the axis is epochs (a converted spec).</summary>
    internal ReduceLROnPlateauWithWarmup(Optimizer optimizer, PlateauOptions options, ISchedule? warmupMultiplier, double warmupSteps,
        TimeAxis? axis, WeightDecayCoupling? weightDecay, MomentumCoupling? momentum, bool schedulesInSteps, string? identity)
        : base(optimizer, (lr, _) => new ScaledSchedule(lr, warmupMultiplier ?? new ConstantSchedule(1.0)), axis, weightDecay, momentum,
            schedulesInSteps, identity)
    {
        _options = options.Validated();
        // PyTorch: "expected N min_lrs, got M".
        Check.That(_options.MinLrs is null || _options.MinLrs.Count == BaseLrs.Count, "min_lr",
            $"lists {_options.MinLrs?.Count} values but the optimizer has {BaseLrs.Count} parameter groups");
        _warmupSteps = Check.NonNegative(warmupSteps, "warmup_steps");
        _plateauLrs = BaseLrs.ToArray();
        _best = WorstValue;
    }

    double WorstValue => _options.Mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>The lrs the plateau logic has reached (before the warmup multiplier).</summary>
    public IReadOnlyList<double> PlateauLrs => _plateauLrs ?? BaseLrs;

    // Called from the base constructor before _plateauLrs exists: then the plateau lr is still the base lr.
    protected override double LearningRateAt(int group, double t)
    {
        double warmedUp = Schedules[group].At(t);
        return _plateauLrs is null || BaseLrs[group] == 0 ? warmedUp : warmedUp * (_plateauLrs[group] / BaseLrs[group]);
    }

    /// <summary>Reports a metric (PyTorch's <c>step(metrics)</c>); <paramref name="epoch"/> is ignored. A NaN metric is
    /// never an improvement, so it counts as a bad epoch, as in PyTorch.</summary>
    public override void step(double current, int? epoch = null)
    {
        if (ScheduleTime < _warmupSteps) return;
        if (IsBetter(current)) { _best = current; _numBadEpochs = 0; }
        else _numBadEpochs++;
        if (_cooldownCounter > 0) { _cooldownCounter--; _numBadEpochs = 0; }
        if (_numBadEpochs > _options.Patience)
        {
            var lrs = _plateauLrs!;
            for (int i = 0; i < lrs.Length; i++)
            {
                double reduced = Math.Max(lrs[i] * _options.Factor, _options.MinLrOf(i));
                if (lrs[i] - reduced > _options.Eps) lrs[i] = reduced;
            }
            _cooldownCounter = _options.Cooldown;
            _numBadEpochs = 0;
            Reapply();
        }
    }

    bool IsBetter(double a) => (_options.Mode, _options.ThresholdMode) switch
    {
        ("min", "rel") => a < _best * (1 - _options.Threshold),
        ("min", _) => a < _best - _options.Threshold,
        ("max", "rel") => a > _best * (_options.Threshold + 1),
        _ => a > _best + _options.Threshold,
    };

    public override SchedulerState state_dict() => base.state_dict() with
    {
        Plateau = new PlateauState { PlateauLrs = _plateauLrs!.ToArray(), Best = _best, NumBadEpochs = _numBadEpochs, CooldownCounter = _cooldownCounter },
    };

    public override void load_state_dict(SchedulerState state)
    {
        var plateau = state.Plateau ?? throw new ArgumentException("plateau: the state has no ReduceLROnPlateau section", nameof(state));
        Check.That(plateau.PlateauLrs.Length == BaseLrs.Count, "plateau.scale_lrs", $"must have one entry per parameter group ({BaseLrs.Count})");
        _plateauLrs = plateau.PlateauLrs.ToArray();
        _best = plateau.Best;
        _numBadEpochs = plateau.NumBadEpochs;
        _cooldownCounter = plateau.CooldownCounter;
        base.load_state_dict(state);
    }

    /// <summary>A multiplier schedule (built with base 1) applied to a base lr.</summary>
    sealed class ScaledSchedule(double baseLr, ISchedule multiplier) : ISchedule
    {
        public double At(double t) => baseLr * multiplier.At(t);
    }
}
