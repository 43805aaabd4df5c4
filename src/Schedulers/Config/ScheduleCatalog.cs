using TrainKit.Schedulers.Schedules;
using static TrainKit.Schedulers.Config.ParamType;
using static TrainKit.Schedulers.Config.ParamUnit;

namespace TrainKit.Schedulers.Config;

/// <summary>Where a schedule is being built: the group's base lr (the group's initial lr), which group, and the
/// optimizer's own lr (HF's <c>optimizer.defaults["lr"]</c>, which its polynomial and min_lr schedules read; the first
/// group's initial lr when the scheduler builds it, the group's own when not given).</summary>
public readonly record struct GroupContext(double BaseLr, int Group = 0, int GroupCount = 1, double? OptimizerLr = null)
{
    /// <summary>The optimizer's lr, or this group's base lr when none was given.</summary>
    public double LrInit => OptimizerLr ?? BaseLr;
}

/// <summary>
/// Every schedule kind: its metadata (for forms, help text and validation of names) and how to build it
/// from a spec. Names follow PyTorch/HF so golden files and PyTorch configs read directly.
/// </summary>
public static partial class ScheduleCatalog
{
    sealed record Entry(KindInfo Info, Func<ParamReader, GroupContext, ISchedule> Build);

    static ParamInfo P(string name, ParamType type, ParamUnit unit, string description, object? @default = null,
        double? min = null, double? max = null, bool minEx = false, bool maxEx = false, string[]? choices = null, string? note = null) =>
        new(name, type, unit, description)
        {
            Default = @default,
            Required = @default is null && note is null,
            Min = min,
            Max = max,
            MinExclusive = minEx,
            MaxExclusive = maxEx,
            Choices = choices,
            DefaultNote = note,
        };

    static readonly ParamInfo Gamma = P("gamma", Number, Factor, "Multiplicative decay factor", 0.1, 0, 1, minEx: true);
    static readonly ParamInfo EtaMin = P("eta_min", Number, Lr, "Lowest learning rate (absolute, all groups)", 0.0, 0);
    static readonly ParamInfo WarmupSteps = P("warmup_steps", Number, Time, "Linear warmup length", null, 0);
    static readonly ParamInfo TotalSteps = P("total_steps", Number, Time, "Length of the run", null, 0, minEx: true) with { RunLength = true };

    static readonly Entry[] Entries = [.. TorchEntries(), .. HfEntries(), .. TimmEntries()];

    static Entry[] TorchEntries() =>
    [
        new(new KindInfo("ConstantLR", "base·factor until total_iters, then base (PyTorch's defaults: factor 1/3 for 5 steps)",
            [P("factor", Number, Ratio, "Multiplier before total_iters", 1.0 / 3, 0, 1), P("total_iters", Number, Time, "When the factor ends", 5.0, 0)])
            { Aliases = ["Constant"] },
            (r, g) => new ConstantSchedule(g.BaseLr, r.Number("factor"), r.Number("total_iters"))),

        new(new KindInfo("StepLR", "Multiply by gamma every step_size",
            [P("step_size", Number, Time, "Period of the decay", null, 0, minEx: true), Gamma]) { Aliases = ["Step"] },
            (r, g) => new StepSchedule(g.BaseLr, r.Number("step_size"), r.Number("gamma"))),

        new(new KindInfo("MultiStepLR", "Multiply by gamma at each milestone",
            [P("milestones", NumberList, Time, "Times at which to decay (non-decreasing; a repeated time decays by gamma^count)"), Gamma]) { Aliases = ["MultiStep"] },
            (r, g) => new MultiStepSchedule(g.BaseLr, r.Numbers("milestones"), r.Number("gamma"))),

        new(new KindInfo("ExponentialLR", "base·gamma^t",
            [Gamma with { Default = null, Required = true, Unit = PerTime, Description = "Multiplicative decay factor per unit of time" }]) { Aliases = ["Exponential"] },
            (r, g) => new ExponentialSchedule(g.BaseLr, r.Number("gamma"))),

        new(new KindInfo("InverseTime", "base/(1 + decay_rate·t/decay_steps)",
            [P("decay_rate", Number, Factor, "k in 1/(1 + k·t)", null, 0), P("decay_steps", Number, Time, "Time scale", 1.0, 0, minEx: true),
             P("staircase", ParamType.Boolean, None, "Floor t/decay_steps", false)]),
            (r, g) => new InverseTimeSchedule(g.BaseLr, r.Number("decay_rate"), r.Number("decay_steps"), r.Bool("staircase"))),

        new(new KindInfo("LinearLR", "Factor moves linearly from start_factor to end_factor over total_iters",
            [P("start_factor", Number, Ratio, "Initial multiplier", 1.0 / 3, 0, 1, minEx: true), P("end_factor", Number, Ratio, "Final multiplier", 1.0, 0, 1),
             P("total_iters", Number, Time, "Length of the ramp", 5.0, 0, minEx: true)]) { Aliases = ["Linear"] },
            (r, g) => new LinearSchedule(g.BaseLr, r.Number("start_factor"), r.Number("end_factor"), r.Number("total_iters"))),

        new(new KindInfo("PolynomialLR", "base·(1 − min(t, total_iters)/total_iters)^power",
            [P("total_iters", Number, Time, "When the lr reaches 0", 5.0, 0, minEx: true), P("power", Number, Factor, "Exponent", 1.0, 0, minEx: true)])
            { Aliases = ["Polynomial"] },
            (r, g) => new PolynomialSchedule(g.BaseLr, r.Number("total_iters"), r.Number("power"))),

        new(new KindInfo("CosineAnnealingLR", "Half cosine from base to eta_min over T_max",
            [P("T_max", Number, Time, "Half period of the cosine", null, 0, minEx: true) with { RunLength = true }, EtaMin]) { Aliases = ["Cosine"] },
            (r, g) => new CosineAnnealingSchedule(g.BaseLr, r.Number("T_max"), r.Number("eta_min"))),

        new(new KindInfo("CosinePower", "Cosine decay raised to a power; stays at eta_min after decay_steps",
            [P("decay_steps", Number, Time, "Length of the decay", null, 0, minEx: true), P("power", Number, Factor, "Exponent of the cosine factor", 1.0, 0, minEx: true), EtaMin]),
            (r, g) => new CosinePowerSchedule(g.BaseLr, r.Number("decay_steps"), r.Number("power"), r.Number("eta_min"))),

        new(new KindInfo("WarmupCosine", "HF cosine with linear warmup (and min lr ratio)",
            [WarmupSteps, TotalSteps, P("num_cycles", Number, Count, "Cosine waves after warmup (0.5: one half wave down)", 0.5, 0, minEx: true),
             P("min_lr_ratio", Number, Ratio, "Floor as a fraction of base", 0.0, 0, 1)]),
            (r, g) => new WarmupCosineSchedule(g.BaseLr, r.Number("warmup_steps"), r.Number("total_steps"), r.Number("num_cycles"), r.Number("min_lr_ratio"))),

        new(new KindInfo("WarmupCosineHardRestarts", "HF cosine with hard restarts after linear warmup",
            [WarmupSteps, TotalSteps, P("num_cycles", Number, Count, "Number of hard restarts cycles", 1.0, 0, minEx: true)]),
            (r, g) => new WarmupCosineHardRestartsSchedule(g.BaseLr, r.Number("warmup_steps"), r.Number("total_steps"), r.Number("num_cycles"))),

        new(new KindInfo("CosineAnnealingWarmRestarts", "SGDR: cosine cycles of length T_0·T_mult^i with restarts",
            [P("T_0", Number, Time, "First cycle length", null, 1), P("T_mult", Number, Factor, "Cycle length growth (may be fractional)", 1.0, 1),
             EtaMin, P("warmup", Number, Time, "Linear warmup at the start of every cycle", 0.0, 0),
             P("cycle_decay", Number, Factor, "Peak of cycle i is base·cycle_decay^i", 1.0, 0, 1, minEx: true)]) { Aliases = ["SGDR", "WarmRestarts"] },
            (r, g) => new WarmRestartsSchedule(g.BaseLr, r.Number("T_0"), r.Number("T_mult"), r.Number("eta_min"), r.Number("warmup"), r.Number("cycle_decay"))),

        new(new KindInfo("OneCycleLR", "1cycle: warm up to max_lr then anneal far below the start; momentum moves inversely",
            [P("max_lr", NumberOrPerGroup, Lr, "Peak lr (one per group allowed)", null, 0, minEx: true),
             P("total_steps", Integer, Time, "Length of the cycle (stepping past it is an error)", null, 1, note: "= epochs·steps_per_epoch")
                 with { RunLength = true, ReplacedBy = ["epochs", "steps_per_epoch"] },
             P("epochs", Integer, Count, "With steps_per_epoch, instead of total_steps (PyTorch's form)", null, 1, note: "only with steps_per_epoch"),
             P("steps_per_epoch", Integer, Count, "With epochs, instead of total_steps", null, 1, note: "only with epochs"),
             P("pct_start", Number, Ratio, "Fraction of the cycle spent rising", 0.3, 0, 1, true, true),
             P("anneal_strategy", Choice, None, "Interpolation", "cos", choices: ["cos", "linear"]),
             P("div_factor", Number, Factor, "initial lr = max_lr/div_factor", 25.0, 0, minEx: true),
             P("final_div_factor", Number, Factor, "min lr = initial lr/final_div_factor", 1e4, 0, minEx: true),
             P("three_phase", ParamType.Boolean, None, "Symmetric rise and fall, then annihilation", false),
             P("cycle_momentum", ParamType.Boolean, None, "Cycle momentum (SGD) or beta1 (Adam) inversely", true),
             P("base_momentum", Number, Momentum, "Momentum at the peak lr", 0.85, 0, 1), P("max_momentum", Number, Momentum, "Momentum at the low lr", 0.95, 0, 1)])
            { Aliases = ["OneCycle"], CyclesMomentum = true },
            (r, g) => new OneCycleSchedule(r.PerGroup("max_lr", g.Group, g.GroupCount), OneCycleTotalSteps(r), r.Number("pct_start"),
                AnnealFunctions.Parse(r.Text("anneal_strategy")), r.Number("div_factor"), r.Number("final_div_factor"), r.Bool("three_phase"),
                r.Number("base_momentum"), r.Number("max_momentum"), r.Bool("cycle_momentum"))),

        new(new KindInfo("CyclicLR", "Triangular cycles between base_lr and max_lr (Smith 2017); momentum cycles inversely",
            [P("base_lr", NumberOrPerGroup, Lr, "Lower bound (one per group allowed)", null, 0),
             P("max_lr", NumberOrPerGroup, Lr, "Upper bound (one per group allowed)", null, 0),
             P("step_size_up", Number, Time, "Rising half-cycle", 2000.0, 0, minEx: true),
             P("step_size_down", Number, Time, "Falling half-cycle", null, 0, minEx: true, note: "= step_size_up"),
             P("mode", Choice, None, "Amplitude policy", "triangular", choices: ["triangular", "triangular2", "exp_range"]),
             P("gamma", Number, PerTime, "exp_range: amplitude·gamma^t", 1.0, 0, 1, minEx: true),
             P("cycle_momentum", ParamType.Boolean, None, "Cycle momentum (SGD) or beta1 (Adam) inversely", true),
             P("base_momentum", Number, Momentum, "Momentum at max_lr", 0.8, 0, 1), P("max_momentum", Number, Momentum, "Momentum at base_lr", 0.9, 0, 1)])
            { Aliases = ["Cyclic"], CyclesMomentum = true },
            (r, g) => new CyclicSchedule(r.PerGroup("base_lr", g.Group, g.GroupCount), r.PerGroup("max_lr", g.Group, g.GroupCount),
                r.Number("step_size_up"), r.NumberOrNull("step_size_down"), CyclicSchedule.ParseMode(r.Text("mode")), r.Number("gamma"),
                r.Number("base_momentum"), r.Number("max_momentum"), r.Bool("cycle_momentum"))),

        new(new KindInfo("SlantedTriangular", "ULMFiT: short linear rise, long linear fall to base/ratio",
            [TotalSteps, P("cut_frac", Number, Ratio, "Fraction of the run spent rising", 0.1, 0, 1, true, true),
             P("ratio", Number, Factor, "How much smaller the lowest lr is", 32.0, 1)]) { Aliases = ["STLR"] },
            (r, g) => new SlantedTriangularSchedule(g.BaseLr, r.Number("total_steps"), r.Number("cut_frac"), r.Number("ratio"))),

        new(new KindInfo("InverseSqrt", "HF inverse square root with linear warmup",
            [WarmupSteps with { Default = 0.0, Required = false }, P("timescale", Number, Time, "Decay time scale", null, 0, minEx: true, note: "= warmup_steps, or 10000 without warmup")]),
            (r, g) => new InverseSqrtSchedule(g.BaseLr, r.Number("warmup_steps"), r.NumberOrNull("timescale"))),

        new(new KindInfo("Noam", "Transformer schedule: d_model^-½·min(s^-½, s·W^-1.5), s = t+1",
            [P("d_model", Number, Count, "Model width", null, 0, minEx: true), WarmupSteps with { Min = 0, MinExclusive = true }]),
            (r, g) => new NoamSchedule(g.BaseLr, r.Number("d_model"), r.Number("warmup_steps"))),

        new(new KindInfo("WSD", "Warmup-stable-decay (HF get_wsd_schedule)",
            [WarmupSteps, P("stable_steps", Number, Time, "Flat phase", null, 0), P("decay_steps", Number, Time, "Decay phase", null, 0),
             P("min_lr_ratio", Number, Ratio, "Final lr as a fraction of base", 0.0, 0, 1),
             P("decay_type", Choice, None, "Decay shape", "cosine", choices: ["linear", "cosine", "1-sqrt"]),
             P("warmup_type", Choice, None, "Warmup shape", "linear", choices: ["linear", "cosine", "1-sqrt"]),
             P("num_cycles", Number, Count, "Cosine decay waves (0.5: one half wave down)", 0.5, 0, minEx: true)]),
            (r, g) => new WsdSchedule(g.BaseLr, r.Number("warmup_steps"), r.Number("stable_steps"), r.Number("decay_steps"), r.Number("min_lr_ratio"),
                WsdSchedule.ParseShape(r.Text("decay_type")), WsdSchedule.ParseShape(r.Text("warmup_type"), "warmup_type"), r.Number("num_cycles"))),

        new(new KindInfo("SequentialLR", "Children one after another; each sees time from its own start",
            [P("schedulers", ParamType.Schedules, None, "Child specs, in order"), P("milestones", NumberList, Time, "Where child i+1 takes over")]) { Aliases = ["Sequential"] },
            (r, g) => new SequentialSchedule(Children(r, "SequentialLR", g), r.Numbers("milestones"), g.BaseLr)),

        new(new KindInfo("ChainedScheduler", "Children at the same time, each applying its chainable step to the lr the previous left (PyTorch)",
            [P("schedulers", ParamType.Schedules, None, "Child specs")]) { Aliases = ["Chained"] },
            (r, g) => new ChainedSchedule(g.BaseLr, Children(r, "ChainedScheduler", g))),

        new(new KindInfo("ReduceLROnPlateau", "Cut the lr by factor when a metric stops improving, after an optional linear warmup",
            [P("mode", Choice, None, "min: lower metric is better; max: higher", "min", choices: ["min", "max"]),
             P("factor", Number, Factor, "Multiplier applied on a plateau", 0.1, 0, 1, true, true),
             P("patience", Integer, Count, "Reports without improvement before cutting", 10.0, 0),
             P("threshold", Number, Ratio, "Minimum improvement", 1e-4, 0),
             P("threshold_mode", Choice, None, "rel or abs improvement", "rel", choices: ["rel", "abs"]),
             P("cooldown", Integer, Count, "Reports to wait after a cut", 0.0, 0),
             P("min_lr", NumberOrPerGroup, Lr, "Lowest lr (one per group allowed)", 0.0, 0), P("eps", Number, Lr, "Smallest change applied", 1e-8, 0),
             P("warmup_steps", Number, Time, "Linear warmup length (metrics ignored meanwhile)", 0.0, 0),
             P("warmup_start_factor", Number, Ratio, "Warmup starts at base·this", 0.1, 0, 1, minEx: true)])
            { Aliases = ["Plateau"], NeedsMetric = true },
            // The closed-form part (no metric): the warmup, then flat. The scheduler adds the plateau cuts.
            (r, g) => { var (_, warmup, start) = ReadPlateau(r); return PlateauWarmup(g.BaseLr, warmup, start); }),
    ];

    /// <summary>
    /// A composite's children. Refused, rather than silently losing behaviour: ReduceLROnPlateau (its metric logic
    /// cannot run inside a closed form; current PyTorch refuses it in SequentialLR too) and children that cycle
    /// momentum (a composite drives the lr only; set cycle_momentum: false to use OneCycleLR/CyclicLR inside one).
    /// </summary>
    static ISchedule[] Children(ParamReader r, string parent, GroupContext g) => r.Children("schedulers").Select(c =>
    {
        var kind = Describe(c.Kind);
        if (kind.NeedsMetric)
            throw new ArgumentException($"schedulers: {parent} cannot hold {kind.Name} (its metric logic would be dropped); use ReduceLROnPlateau alone, with its warmup_steps for a warmup", "schedulers");
        var child = ScheduleFactory.CreateSchedule(c, g);
        if (child is IMomentumSchedule { CyclesMomentum: true } || child is SequentialSchedule s && s.Children.Any(x => x is IMomentumSchedule { CyclesMomentum: true }))
            throw new ArgumentException($"schedulers: {kind.Name} inside {parent} would cycle momentum, which a composite does not carry; give it \"cycle_momentum\": false, or use it alone", "schedulers");
        return child;
    }).ToArray();

    /// <summary>OneCycleLR's length, PyTorch's way: total_steps, or else epochs·steps_per_epoch (both needed).</summary>
    static int OneCycleTotalSteps(ParamReader r)
    {
        bool total = r.Has("total_steps"), epochs = r.Has("epochs"), perEpoch = r.Has("steps_per_epoch");
        if (epochs) Validation.Check.PositiveInt(r.Integer("epochs"), "epochs");
        if (perEpoch) Validation.Check.PositiveInt(r.Integer("steps_per_epoch"), "steps_per_epoch");
        if (total) return r.Integer("total_steps");   // PyTorch: total_steps wins when both forms are given
        if (!epochs || !perEpoch)
            throw new ArgumentException("OneCycleLR needs total_steps, or both epochs and steps_per_epoch (as in PyTorch)", epochs ? "steps_per_epoch" : perEpoch ? "epochs" : "total_steps");
        long steps = (long)Validation.Check.PositiveInt(r.Integer("epochs"), "epochs") * Validation.Check.PositiveInt(r.Integer("steps_per_epoch"), "steps_per_epoch");
        Validation.Check.That(steps <= int.MaxValue, "epochs", $"· steps_per_epoch = {steps} steps is too many (at most {int.MaxValue})");
        return (int)steps;
    }

    /// <summary>ReduceLROnPlateau's settings, validated, plus its warmup length and start factor.</summary>
    internal static (Adapter.PlateauOptions Options, double WarmupSteps, double WarmupStartFactor) ReadPlateau(ParamReader r)
    {
        var options = new Adapter.PlateauOptions
        {
            Mode = r.Text("mode"),
            Factor = r.Number("factor"),
            Patience = r.Integer("patience"),
            Threshold = r.Number("threshold"),
            ThresholdMode = r.Text("threshold_mode"),
            Cooldown = r.Integer("cooldown"),
            Eps = r.Number("eps"),
            MinLr = r.IsList("min_lr") ? 0 : r.Number("min_lr"),
            MinLrs = r.IsList("min_lr") ? r.Numbers("min_lr") : null,
        }.Validated();
        // hf.reduce_lr_on_plateau is PyTorch's class as HF hands it over: no warmup parameters.
        if (r.Kind.Find("warmup_steps") is null) return (options, 0, 1);
        double warmup = Validation.Check.NonNegative(r.Number("warmup_steps"), "warmup_steps");
        double start = Validation.Check.AboveUpTo(r.Number("warmup_start_factor"), 0, 1, "warmup_start_factor");
        return (options, warmup, start);
    }

    internal static ISchedule PlateauWarmup(double baseLr, double warmupSteps, double startFactor) =>
        warmupSteps > 0 ? new LinearSchedule(baseLr, startFactor, 1.0, warmupSteps) : new ConstantSchedule(baseLr);

    static readonly Dictionary<string, Entry> ByName = Entries
        .SelectMany(e => e.Info.Aliases.Append(e.Info.Name).Select(n => (n, e)))
        .ToDictionary(x => x.n, x => x.e, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every kind with its parameters, for forms and help.</summary>
    public static IReadOnlyList<KindInfo> Kinds { get; } = Entries.Select(e => e.Info).ToArray();

    /// <summary>The metadata as JSON (snake_case), for a UI that builds its forms from it.</summary>
    public static string MetadataJson(IEnumerable<KindInfo>? kinds = null) =>
        System.Text.Json.JsonSerializer.Serialize(kinds ?? Kinds, new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower) },
        });

    /// <summary>Looks a kind up by name or alias (case-insensitive); unknown names are an ArgumentException listing the known ones.</summary>
    public static KindInfo Describe(string kind) => Find(kind).Info;

    internal static ISchedule Build(ScheduleSpec spec, GroupContext group)
    {
        var entry = Find(spec.Kind);
        return entry.Build(new ParamReader(entry.Info, spec.Params), group);
    }

    static Entry Find(string kind) => ByName.TryGetValue(kind ?? "", out var e) ? e
        : kind is not null && kind.StartsWith(HfPrefix, StringComparison.OrdinalIgnoreCase)
            ? throw new ArgumentException($"kind: unknown HF schedule '{kind}' (HF get_scheduler names: {string.Join(", ", HfNames.Select(n => HfPrefix + n))})", nameof(kind))
        : kind is not null && kind.StartsWith(TimmPrefix, StringComparison.OrdinalIgnoreCase)
            ? throw new ArgumentException($"kind: unknown timm schedule '{kind}' (timm kinds: {string.Join(", ", Entries.Select(x => x.Info.Name).Where(n => n.StartsWith(TimmPrefix, StringComparison.Ordinal)))}; timm's plateau scheduler is PyTorch's ReduceLROnPlateau)", nameof(kind))
            : throw new ArgumentException($"kind: unknown schedule '{kind}' (known: {string.Join(", ", Entries.Select(x => x.Info.Name))})", nameof(kind));
}
