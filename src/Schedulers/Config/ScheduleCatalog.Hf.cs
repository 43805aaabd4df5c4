using TrainKit.Schedulers.Schedules;
using static TrainKit.Schedulers.Config.ParamType;
using static TrainKit.Schedulers.Config.ParamUnit;

namespace TrainKit.Schedulers.Config;

/// <summary>
/// HF transformers' <c>get_scheduler</c> names, as kinds in their own namespace: <c>{"kind":"hf.linear"}</c> is HF's
/// linear warmup + linear decay to 0, while the plain <c>linear</c>/<c>cosine</c> stay PyTorch's LinearLR and
/// CosineAnnealingLR (existing specs keep their meaning). Parameters carry HF's names (num_warmup_steps,
/// num_training_steps, num_cycles, lr_end, power, min_lr/min_lr_rate, num_stable_steps, num_decay_steps, ...) and
/// each curve is HF's LambdaLR lambda (transformers/optimization.py), pinned by fixtures recorded from it.
/// </summary>
public static partial class ScheduleCatalog
{
    /// <summary>The prefix of the HF kinds.</summary>
    public const string HfPrefix = "hf.";

    /// <summary>HF's <c>SchedulerType</c> values this catalog resolves (after <see cref="HfPrefix"/>).</summary>
    public static IReadOnlyList<string> HfNames { get; } =
    [
        "linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup", "inverse_sqrt",
        "reduce_lr_on_plateau", "cosine_with_min_lr", "warmup_stable_decay",
    ];

    static ParamInfo Warmup() => P("num_warmup_steps", Number, Time, "Linear warmup from 0 (HF)", null, 0);
    static ParamInfo Training() => P("num_training_steps", Number, Time, "Total training steps (HF)", null, 0, minEx: true) with { RunLength = true };
    static ParamInfo Cycles(double @default, string description) => P("num_cycles", Number, Count, description, @default, 0, minEx: true);

    static Entry[] HfEntries() =>
    [
        new(new KindInfo("hf.linear", "HF linear: warmup from 0, then linear decay to 0 at num_training_steps", [Warmup(), Training()]),
            (r, g) => new HfLinearSchedule(g.BaseLr, r.Number("num_warmup_steps"), r.Number("num_training_steps"))),

        new(new KindInfo("hf.cosine", "HF cosine: warmup from 0, then num_cycles cosine waves (0.5: one half wave to 0)",
            [Warmup(), Training(), Cycles(0.5, "Cosine waves after warmup (0.5: one half wave down)")]),
            (r, g) => new WarmupCosineSchedule(g.BaseLr, HfWarmup(r), r.Number("num_training_steps"), r.Number("num_cycles"))),

        new(new KindInfo("hf.cosine_with_restarts", "HF cosine with hard restarts: warmup, then num_cycles cosine decays to 0, each restarting at base",
            [Warmup(), Training(), Cycles(1.0, "Number of hard-restart cycles")]),
            (r, g) => new WarmupCosineHardRestartsSchedule(g.BaseLr, HfWarmup(r), r.Number("num_training_steps"), r.Number("num_cycles"))),

        new(new KindInfo("hf.polynomial", "HF polynomial decay: warmup, then (lr_init − lr_end)·remaining^power + lr_end; lr_end after the run",
            [Warmup(), Training(), P("lr_end", Number, Lr, "Final lr (absolute)", 1e-7, 0), P("power", Number, Factor, "Exponent", 1.0, 0, minEx: true)]),
            (r, g) => new HfPolynomialSchedule(g.BaseLr, g.LrInit, r.Number("num_warmup_steps"), r.Number("num_training_steps"), r.Number("lr_end"), r.Number("power"))),

        new(new KindInfo("hf.constant", "HF constant: the optimizer's lr throughout", []),
            (r, g) => new ConstantSchedule(g.BaseLr)),

        new(new KindInfo("hf.constant_with_warmup", "HF constant with warmup: t/num_warmup_steps of base, then base", [Warmup()]),
            (r, g) => new HfConstantWithWarmupSchedule(g.BaseLr, r.Number("num_warmup_steps"))),

        new(new KindInfo("hf.inverse_sqrt", "HF inverse square root: warmup, then 1/√((t + timescale − W)/timescale)",
            [Warmup(), P("timescale", Number, Time, "Decay time scale", null, 0, minEx: true, note: "= num_warmup_steps, or 10000 without warmup")]),
            (r, g) => new InverseSqrtSchedule(g.BaseLr, Steps(r, "num_warmup_steps"), r.NumberOrNull("timescale"))),

        new(new KindInfo("hf.reduce_lr_on_plateau", "HF reduce_lr_on_plateau: PyTorch's ReduceLROnPlateau with its own arguments, no warmup",
            [P("mode", Choice, None, "min: lower metric is better; max: higher", "min", choices: ["min", "max"]),
             P("factor", Number, Factor, "Multiplier applied on a plateau", 0.1, 0, 1, true, true),
             P("patience", Integer, Count, "Reports without improvement before cutting", 10.0, 0),
             P("threshold", Number, Ratio, "Minimum improvement", 1e-4, 0),
             P("threshold_mode", Choice, None, "rel or abs improvement", "rel", choices: ["rel", "abs"]),
             P("cooldown", Integer, Count, "Reports to wait after a cut", 0.0, 0),
             P("min_lr", NumberOrPerGroup, Lr, "Lowest lr (one per group allowed)", 0.0, 0), P("eps", Number, Lr, "Smallest change applied", 1e-8, 0)])
            { NeedsMetric = true },
            // The closed-form part is flat; reading the settings validates them (the scheduler adds the cuts).
            (r, g) => { ReadPlateau(r); return new ConstantSchedule(g.BaseLr); }),

        new(new KindInfo("hf.cosine_with_min_lr", "HF cosine with a floor: warmup, then cosine from base to min_lr (or base·min_lr_rate)",
            [Warmup(), Training(), Cycles(0.5, "Cosine waves after warmup (0.5: one half wave down)"),
             P("min_lr", Number, Lr, "Floor, absolute (HF divides it by the optimizer's lr)", null, 0, note: "one of min_lr, min_lr_rate"),
             P("min_lr_rate", Number, Ratio, "Floor as a fraction of the base lr", null, 0, 1, note: "one of min_lr, min_lr_rate")]),
            (r, g) => new WarmupCosineSchedule(g.BaseLr, HfWarmup(r), r.Number("num_training_steps"), r.Number("num_cycles"), MinLrRate(r, g))),

        new(new KindInfo("hf.warmup_stable_decay", "HF warmup-stable-decay (get_wsd_schedule)",
            [Warmup(), P("num_decay_steps", Number, Time, "Decay phase", null, 0),
             P("num_training_steps", Number, Time, "Total steps; the stable phase is what warmup and decay leave", null, 0, note: "one of num_training_steps, num_stable_steps")
                 with { RunLength = true, ReplacedBy = ["num_stable_steps"] },
             P("num_stable_steps", Number, Time, "Flat phase (wins over num_training_steps, as in HF)", null, 0, note: "one of num_training_steps, num_stable_steps"),
             P("warmup_type", Choice, None, "Warmup shape", "linear", choices: ["linear", "cosine", "1-sqrt"]),
             P("decay_type", Choice, None, "Decay shape", "cosine", choices: ["linear", "cosine", "1-sqrt"]),
             P("min_lr_ratio", Number, Ratio, "Start and final lr as a fraction of base", 0.0, 0, 1),
             P("num_cycles", Number, Count, "Cosine decay waves (0.5: one half wave down)", 0.5, 0, minEx: true)]),
            (r, g) => new WsdSchedule(g.BaseLr, r.Number("num_warmup_steps"), WsdStableSteps(r), r.Number("num_decay_steps"), r.Number("min_lr_ratio"),
                WsdSchedule.ParseShape(r.Text("decay_type")), WsdSchedule.ParseShape(r.Text("warmup_type"), "warmup_type"), r.Number("num_cycles"))),
    ];

    /// <summary>The warmup, checked against the run length under HF's names (the shared schedules name their own).</summary>
    static double HfWarmup(ParamReader r)
    {
        double warmup = Steps(r, "num_warmup_steps"), total = Validation.Check.Positive(r.Number("num_training_steps"), "num_training_steps");
        Validation.Check.That(warmup <= total, "num_warmup_steps", $"({warmup}) must not exceed num_training_steps ({total})");
        return warmup;
    }

    /// <summary>A step count (>= 0), checked under its HF name before a shared schedule checks it under its own.</summary>
    static double Steps(ParamReader r, string name) => Validation.Check.NonNegative(r.Number(name), name);

    /// <summary>HF's rule: exactly one of min_lr and min_lr_rate; min_lr is divided by the optimizer's lr.</summary>
    static double MinLrRate(ParamReader r, GroupContext g)
    {
        bool lr = r.Has("min_lr"), rate = r.Has("min_lr_rate");
        if (lr && rate) throw new ArgumentException("hf.cosine_with_min_lr: give only one of min_lr or min_lr_rate (as in HF)", "min_lr");
        if (!lr && !rate) throw new ArgumentException("hf.cosine_with_min_lr needs one of min_lr or min_lr_rate (as in HF)", "min_lr_rate");
        if (rate) return Validation.Check.Within(r.Number("min_lr_rate"), 0, 1, "min_lr_rate");
        double minLr = Validation.Check.NonNegative(r.Number("min_lr"), "min_lr");
        Validation.Check.That(g.LrInit > 0 && minLr <= g.LrInit, "min_lr", $"({minLr}) must lie in [0, the optimizer's lr ({g.LrInit})]");
        return minLr / g.LrInit;
    }

    /// <summary>HF: num_stable_steps if given, else num_training_steps − num_warmup_steps − num_decay_steps.</summary>
    static double WsdStableSteps(ParamReader r)
    {
        Steps(r, "num_warmup_steps");
        Steps(r, "num_decay_steps");
        if (r.Has("num_stable_steps")) return Steps(r, "num_stable_steps");
        if (!r.Has("num_training_steps"))
            throw new ArgumentException("hf.warmup_stable_decay needs num_training_steps or num_stable_steps (as in HF)", "num_training_steps");
        double stable = r.Number("num_training_steps") - r.Number("num_warmup_steps") - r.Number("num_decay_steps");
        Validation.Check.That(stable >= 0, "num_training_steps", $"({r.Number("num_training_steps")}) is shorter than num_warmup_steps + num_decay_steps");
        return stable;
    }
}
