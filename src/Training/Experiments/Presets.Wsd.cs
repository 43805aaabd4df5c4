using System.Text.Json.Nodes;

namespace TrainKit.Training.Experiments;

public static partial class Presets
{
    /// <summary>The budgets (epochs of 78 steps) at which the wsd preset compares warmup-stable-decay with cosine.</summary>
    public static readonly double[] WsdEpochs = [2, 4, 8];

    /// <summary>The cooldown fraction of the main comparison (Hägele et al.'s 20 %) and the ablation's fractions,
    /// run at the middle budget only.</summary>
    public const double WsdCooldown = 0.2;
    public static readonly double[] WsdCooldownAblation = [0.1, 0.4];
    public const double WsdAblationEpochs = 4;

    /// <summary>Both schedules warm up linearly for this many epochs.</summary>
    const double WsdWarmupEpochs = 0.2;

    public static string WsdCosine(double epochs) => Name($"cosine-{epochs}ep");
    public static string WsdVariant(double epochs, double cooldown) =>
        cooldown == WsdCooldown ? Name($"wsd-{epochs}ep") : Name($"wsd-{epochs}ep-cd{Math.Round(cooldown * 100)}");

    static VariantSpec Wsd(double epochs, double cooldown) => new(WsdVariant(epochs, cooldown),
        Schedule("WSD", new JsonObject
        {
            ["warmup_steps"] = WsdWarmupEpochs,
            ["stable_steps"] = Math.Round(epochs * (1 - cooldown) - WsdWarmupEpochs, 6),
            ["decay_steps"] = Math.Round(epochs * cooldown, 6),
            ["decay_type"] = "1-sqrt",
        }, "epochs"),
        new JsonObject { ["epochs"] = epochs });

    /// <summary>Hägele et al. 2024 (and MiniCPM, Hu et al. 2024): a constant lr with a short (1−√) cooldown matches
    /// cosine at every budget, so one constant run branched into cooldowns replaces one cosine run per budget.
    /// Each WSD budget here is its own run from the same seed; its steps before the cooldown are the constant run's,
    /// which is what <c>trainkit train --from RUN --at STEP</c> would branch (its exactness is tested).</summary>
    static ExperimentSpec WarmupStableDecay()
    {
        var variants = new List<VariantSpec>();
        foreach (double epochs in WsdEpochs)
        {
            variants.Add(new(WsdCosine(epochs), Schedule("WarmupCosine", new JsonObject { ["warmup_steps"] = WsdWarmupEpochs }, "epochs"),
                new JsonObject { ["epochs"] = epochs }));
            variants.Add(Wsd(epochs, WsdCooldown));
        }
        variants.AddRange(WsdCooldownAblation.Select(f => Wsd(WsdAblationEpochs, f)));
        return new ExperimentSpec
        {
            Name = "wsd",
            Description = "Half-width ResNet-20 (SGD, Nesterov momentum 0.9, lr 0.1, wd 5e-4, batch 128) on the first 10,000 Fashion-MNIST training " +
                          "images, tested on all 10,000 test images: warmup-stable-decay (0.2-epoch warmup, constant lr, then a (1−√) cooldown to 0 " +
                          "over the last 20 %) against warmup + cosine to 0 of the same budget, at 2, 4 and 8 epochs; at 4 epochs also cooldowns of 10 % and 40 %.",
            Claim = "A constant lr with a 20 % (1−√) cooldown ends no worse than a cosine schedule of the same budget, at every budget; " +
                    "a shorter cooldown ends worse (Hägele et al. 2024; Hu et al. 2024, MiniCPM).",
            Base = TenThousandImages,
            Variants = variants,
            Seeds = [0, 1, 2, 3, 4],
            Analyze = false,
        };
    }
}
