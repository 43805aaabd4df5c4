namespace TrainKit.Schedulers.Config;

/// <summary>The JSON shape a parameter takes.</summary>
public enum ParamType
{
    Number,
    Integer,
    Boolean,
    /// <summary>One of <see cref="ParamInfo.Choices"/>.</summary>
    Choice,
    /// <summary>A list of numbers (milestones).</summary>
    NumberList,
    /// <summary>A number, or one number per parameter group (OneCycleLR max_lr, CyclicLR base_lr/max_lr).</summary>
    NumberOrPerGroup,
    /// <summary>A list of nested schedule specs (SequentialLR, ChainedScheduler).</summary>
    Schedules,
}

/// <summary>What a number means, so a form can label it and a plot can place it.</summary>
public enum ParamUnit
{
    /// <summary>A time: steps or epochs, whichever the spec's <c>unit</c> says.</summary>
    Time,
    /// <summary>A factor applied per unit of time (ExponentialLR's gamma, CyclicLR's exp_range gamma): per step or per epoch.</summary>
    PerTime,
    /// <summary>An absolute learning rate.</summary>
    Lr,
    /// <summary>A fraction, usually of the base lr or of the run.</summary>
    Ratio,
    /// <summary>A multiplicative factor or exponent.</summary>
    Factor,
    /// <summary>SGD momentum / Adam beta1.</summary>
    Momentum,
    /// <summary>A dimensionless count (d_model, cycles).</summary>
    Count,
    /// <summary>Text or a flag.</summary>
    None,
}

/// <summary>
/// One parameter of a schedule kind, described well enough for a UI to build a form field:
/// name (PyTorch/HF spelling), meaning, default, range and unit.
/// </summary>
public sealed record ParamInfo(string Name, ParamType Type, ParamUnit Unit, string Description)
{
    /// <summary>Default value (number, bool or string); null when the parameter is required or defaults to something computed (see <see cref="DefaultNote"/>).</summary>
    public object? Default { get; init; }
    /// <summary>How the default is derived when it is not a constant, e.g. "= step_size_up".</summary>
    public string? DefaultNote { get; init; }
    public bool Required { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public bool MinExclusive { get; init; }
    public bool MaxExclusive { get; init; }
    public IReadOnlyList<string>? Choices { get; init; }
    /// <summary>The parameter is the length of the run (total_steps, T_max, HF's num_training_steps): a trainer fills
    /// it with the run's steps when the spec leaves it out and gives none of <see cref="ReplacedBy"/>.</summary>
    public bool RunLength { get; init; }
    /// <summary>Parameters that, when given, stand in for this one (OneCycleLR's epochs and steps_per_epoch for
    /// total_steps; hf.warmup_stable_decay's num_stable_steps for num_training_steps).</summary>
    public IReadOnlyList<string> ReplacedBy { get; init; } = [];

    /// <summary>The range as text, e.g. "(0, 1]"; empty when unbounded.</summary>
    public string RangeText => Min is null && Max is null ? ""
        : $"{(MinExclusive ? "(" : "[")}{Min?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-inf"}, {Max?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "inf"}{(MaxExclusive || Max is null ? ")" : "]")}";
}

/// <summary>A schedule kind: its name, what it does and its parameters.</summary>
public sealed record KindInfo(string Name, string Description, IReadOnlyList<ParamInfo> Parameters)
{
    /// <summary>Other accepted names (e.g. SGDR).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>True when the kind also cycles momentum (cycle_momentum).</summary>
    public bool CyclesMomentum { get; init; }
    /// <summary>True when it reacts to a metric (ReduceLROnPlateau): its closed form is only the metric-free part.</summary>
    public bool NeedsMetric { get; init; }

    public ParamInfo? Find(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}
