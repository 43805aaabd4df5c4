using System.Text.Json.Nodes;
using TrainKit.Training.Config;

namespace TrainKit.Training.Experiments;

public static partial class Presets
{
    /// <summary>λ_max of the preset's tanh MLP at initialization (cross-entropy, 1,000 training images), measured with
    /// <c>trainkit train</c> at lr 1e-5 and <c>probe_every: 1</c>: 4.73 (seed 0) and 4.32 (seed 1); 2/λ₀ ≈ 0.44.</summary>
    public const double WarmupSharpnessLambda0 = 4.5;

    /// <summary>Target lrs as multiples of 2/λ₀: at the initial stability threshold, and 2 and 4 times beyond it. A pilot
    /// (seed 0, 500 steps) diverged at 8 and 16 times even after a 300-step warmup, so those say nothing.</summary>
    public static readonly double[] WarmupSharpnessMultiples = [1, 2, 4];
    public static readonly int[] WarmupSharpnessWarmups = [0, 100, 250];
    public const long WarmupSharpnessSteps = 400;

    public static double WarmupSharpnessLr(double multiple) => Math.Round(multiple * 2 / WarmupSharpnessLambda0, 4);
    public static string WarmupSharpnessVariant(double multiple, int warmup) => Name($"m{multiple}-warmup{warmup}");

    /// <summary>Gilmer et al. 2022; Kalra &amp; Barkeshli 2024: warmup lets the network lower its sharpness while the lr
    /// grows, so λ_max follows 2/η_t down and a target lr far above the initial threshold 2/λ₀ trains, while the same
    /// lr without warmup makes the loss spike (a catapult, Lewkowycz et al. 2020) or diverge. SGD without momentum, so
    /// the threshold is 2/η; the tanh MLP has no BatchNorm, so the probe's λ_max is the training loss's.</summary>
    static ExperimentSpec WarmupSharpness() => new()
    {
        Name = "warmup-sharpness",
        Description = "Tanh MLP (784-200-200-10, cross-entropy) on the first 10,000 Fashion-MNIST training images (no augmentation), tested on all " +
                      "10,000 test images; SGD without momentum or weight decay, batch 128, 400 steps at a constant target lr of 1, 2 or 4 × 2/λ₀ " +
                      "(λ₀ ≈ 4.5 at initialization, so lr 0.44, 0.89, 1.78), reached after a linear warmup from 0 of 0, 100 or 250 steps; λ_max by " +
                      "warm-started Lanczos on 500 training images every 10 steps, the training loss logged every 5.",
        Claim = "Warmup lowers the sharpness as the lr grows (λ_max follows 2/η_t) and so widens the range of trainable target lrs; without warmup the " +
                "same lrs make the loss spike (catapult) or diverge (Gilmer et al. 2022; Kalra & Barkeshli 2024).",
        Base = TenThousandImages with
        {
            Model = new TanhMlpModelConfig { Name = "mlp-tanh" },
            Data = TenThousandImages.Data with { Augment = false },
            Optimizer = new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = WarmupSharpnessLr(WarmupSharpnessMultiples[0]), Momentum = 0, Nesterov = false, WeightDecay = 0 },
            Steps = WarmupSharpnessSteps,
            LogEvery = 5,
            CheckpointEvery = 0,
            ProbeEvery = 10,
            ProbeExamples = 500,
        },
        Variants = [.. WarmupSharpnessMultiples.SelectMany(m => WarmupSharpnessWarmups.Select(w => new VariantSpec(WarmupSharpnessVariant(m, w),
            Schedule("hf.constant_with_warmup", new JsonObject { ["num_warmup_steps"] = w }),
            new JsonObject { ["optimizer"] = new JsonObject { ["lr"] = WarmupSharpnessLr(m) } })))],
        Seeds = [0, 1, 2, 3, 4],
        Analyze = false,
    };
}
