using System.Text.Json.Nodes;
using TrainKit.Training.Config;
using TrainKit.Training.Data.Text;

namespace TrainKit.Training.Experiments;

/// <summary>The built-in experiments: <c>quick</c> (the README's main command) and the presets that test
/// published claims about warmup and restarts. The rule that decides a preset's verdict is in
/// <c>Reports.Verdicts.For</c>: reports read sweeps, sweeps never read reports.</summary>
public static partial class Presets
{
    public static IReadOnlyList<string> Names => [.. All.Keys];

    public static ExperimentSpec Get(string name, int? seeds = null)
    {
        if (!All.TryGetValue(name, out var make))
            throw new ArgumentException($"unknown preset '{name}'; known: {string.Join(", ", Names)}");
        ExperimentSpec spec = make();
        return seeds is int n ? spec with { Seeds = [.. Enumerable.Range(0, n).Select(i => (long)i)] } : spec;
    }

    static readonly Dictionary<string, Func<ExperimentSpec>> All = new()
    {
        ["quick"] = Quick,
        ["warmup-postln"] = WarmupPostLn,
        ["large-batch"] = LargeBatch,
        ["restarts"] = Restarts,
        ["wd-coupling"] = WeightDecayCoupling,
        ["edge-of-stability"] = EdgeOfStability,
        ["super-convergence"] = SuperConvergence,
        ["wsd"] = WarmupStableDecay,
        ["linear-decay"] = LinearDecay,
        ["warmup-sharpness"] = WarmupSharpness,
    };

    static JsonObject Schedule(string kind, JsonObject parameters, string unit = "steps", JsonObject? weightDecay = null)
    {
        var spec = new JsonObject { ["kind"] = kind, ["params"] = parameters, ["unit"] = unit };
        if (weightDecay is not null) spec["weight_decay"] = weightDecay;
        return spec;
    }

    /// <summary>A variant name with a number in it, written the same on every culture.</summary>
    static string Name(FormattableString name) => FormattableString.Invariant(name);

    static readonly RunConfig SmallResNet = new()
    {
        Model = new CifarResNetModelConfig { Name = "resnet20", Width = 0.5 },
        Data = new DataConfig { Source = ImageSource.Embedded, EvalExamples = 2000 },
        Optimizer = new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = 0.1, Momentum = 0.9, Nesterov = true, WeightDecay = 5e-4 },
        BatchSize = 128,
        LogEvery = 10,
        CheckpointEvery = 100,
    };

    /// <summary>Five schedules on a half-width ResNet-20 and the bundled Fashion-MNIST subset, 3 epochs each.</summary>
    static ExperimentSpec Quick() => new()
    {
        Name = "quick",
        Description = "Five schedules (constant, step, warmup+cosine, SGDR, 1cycle) training a half-width ResNet-20 for 3 epochs " +
                      "on the bundled 10k-image Fashion-MNIST subset, then the sharpness of each final model (quick analysis budget).",
        Base = SmallResNet with { Epochs = 3, EvalEvery = 78 },
        Variants =
        [
            new("constant", Schedule("ConstantLR", new JsonObject { ["factor"] = 1.0 })), // PyTorch's ConstantLR defaults to 1/3 for 5 steps
            new("step", Schedule("MultiStepLR", new JsonObject { ["milestones"] = new JsonArray(1.5, 2.25), ["gamma"] = 0.1 }, "epochs")),
            new("warmup-cosine", Schedule("WarmupCosine", new JsonObject { ["warmup_steps"] = 0.3 }, "epochs")),
            new("sgdr", Schedule("CosineAnnealingWarmRestarts", new JsonObject { ["T_0"] = 1, ["T_mult"] = 2 }, "epochs")),
            new("1cycle", Schedule("OneCycleLR", new JsonObject { ["max_lr"] = 0.2 })),
        ],
        Seeds = [0],
        AnalysisExamples = 128,
        AnalysisBudget = "quick",
    };

    /// <summary>The step sizes of the edge-of-stability preset; its verdict reads them back from the variant names.</summary>
    public static readonly double[] EdgeOfStabilitySteps = [0.03, 0.035, 0.04];

    /// <summary>The run length of the edge-of-stability preset. λ_max starts near 36 (54 / 63 / 72 % of 2/η) and
    /// progressive sharpening raises it by about 2 per 100 steps at η = 0.03 (measured: ≈ 1.4 at η = 0.02), so even
    /// the smallest step size reaches 2/η = 66.7 near step 1,500, before the last quarter (steps 1,875–2,500) that
    /// the verdict averages. η = 0.05 of the first design started at 88 % of 2/η, too close to the edge.</summary>
    public const long EdgeOfStabilityRunSteps = 2500;

    /// <summary>Cohen et al. 2021: under full-batch GD, λ_max rises (progressive sharpening) until it reaches
    /// 2/η, then hovers there while the loss keeps falling non-monotonically.</summary>
    static ExperimentSpec EdgeOfStability() => new()
    {
        Name = "edge-of-stability",
        Description = "Full-batch gradient descent (no momentum, no weight decay) on the first 5,000 images of the bundled Fashion-MNIST " +
                      "subset, a tanh MLP (784-200-200-10) with the squared loss, constant step sizes 0.03 / 0.035 / 0.04 (2/η = 66.7 / 57.1 / 50, " +
                      "each above the initial λ_max ≈ 36 by a third or more), 2,500 steps; λ_max by warm-started Lanczos (random component, periodic cold " +
                      "check) on all 5,000 training images every 25 steps; the final analysis on the same 5,000.",
        Claim = "λ_max rises until it reaches 2/η and then hovers near 2/η, while the loss keeps falling non-monotonically (Cohen et al. 2021).",
        Base = new RunConfig
        {
            Task = TrainingTaskKind.FullBatchMse,
            Model = new TanhMlpModelConfig { Name = "mlp-tanh" },
            Data = new DataConfig { Source = ImageSource.Embedded, Subset = 5000, EvalExamples = 2000, Augment = false },
            Optimizer = new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = 0.04, Momentum = 0, Nesterov = false, WeightDecay = 0 },
            Steps = EdgeOfStabilityRunSteps,
            LogEvery = 25,
            EvalEvery = 500,
            CheckpointEvery = 500,
            ProbeEvery = 25,
            ProbeExamples = 5000, // all of the subset: the training-loss Hessian full-batch GD sees
            Divergence = new DivergenceConfig { ExplodeFactor = 0 }, // at the edge of stability the loss spikes on purpose
            Schedule = TrainKit.Schedulers.Config.ScheduleSpec.Of("ConstantLR", ("factor", 1.0)), // a plain constant (the kind's default is PyTorch's 1/3 for 5 steps)
        },
        Variants = [.. EdgeOfStabilitySteps.Select(eta => new VariantSpec(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"eta{eta}"), Overrides: new JsonObject { ["optimizer"] = new JsonObject { ["lr"] = eta } }))],
        Seeds = [0, 1, 2],
        AnalysisExamples = 5000,
        AnalysisBudget = "quick",
    };

    /// <summary>Weight decay co-scheduling under a cosine lr: fixed vs following the schedule vs constant lr·wd.</summary>
    static ExperimentSpec WeightDecayCoupling()
    {
        VariantSpec Mode(string mode) => new(mode.Replace('_', '-'),
            Schedule("WarmupCosine", new JsonObject { ["warmup_steps"] = 0.3, ["min_lr_ratio"] = 0.02 }, "epochs", new JsonObject { ["mode"] = mode }));
        return new ExperimentSpec
        {
            Name = "wd-coupling",
            Description = "Half-width ResNet-20, bundled Fashion-MNIST subset, 5 epochs of warmup+cosine (floor 2%), SGD wd 5e-4 " +
                          "applied as fixed (PyTorch), following the schedule, or with lr·wd held constant.",
            Base = SmallResNet with { Epochs = 5, EvalEvery = 78 },
            Variants = [Mode("fixed"), Mode("follow_schedule"), Mode("constant_product")],
            Seeds = [0, 1, 2],
            AnalysisExamples = 256,
        };
    }
}
