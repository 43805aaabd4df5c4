using System.Text.Json.Nodes;
using TrainKit.Training.Config;

namespace TrainKit.Training.Experiments;

public static partial class Presets
{
    /// <summary>The small batch and its lr; batch k·32 trains at lr k·0.025 (the linear scaling rule).</summary>
    public const int LargeBatchBase = 32;
    public const double LargeBatchBaseLr = 0.025;
    public static readonly int[] LargeBatchMultipliers = [1, 2, 4, 8, 16];
    public const double LargeBatchEpochs = 30;
    public const double LargeBatchWarmupEpochs = 5;

    /// <summary>k = 1 is the small-batch reference (no warmup); larger k come with and without gradual warmup.</summary>
    public static string LargeBatchVariant(int k, bool warmup) => k == 1 ? "k1" : Name($"k{k}-{(warmup ? "warmup" : "no-warmup")}");

    /// <summary>Goyal et al. 2017: with lr = k·η₀ and a gradual warmup, batch k·B trains to the accuracy of batch B
    /// over a range of k (up to 8k images for ResNet-50 on ImageNet, their Fig. 1), while no warmup fails at large k.
    /// The tanh MLP keeps 45 cells × 30 epochs affordable on two cores; at k = 16 (batch 512) that is 585 steps.</summary>
    static ExperimentSpec LargeBatch()
    {
        VariantSpec Variant(int k, bool warmup) => new(LargeBatchVariant(k, warmup),
            Schedule("WarmupCosine", new JsonObject { ["warmup_steps"] = warmup ? LargeBatchWarmupEpochs : 0 }, "epochs"),
            new JsonObject { ["batch_size"] = k * LargeBatchBase, ["optimizer"] = new JsonObject { ["lr"] = k * LargeBatchBaseLr } });
        return new ExperimentSpec
        {
            Name = "large-batch",
            Description = "Tanh MLP (784-200-200-10) on the first 10,000 Fashion-MNIST training images, tested on all 10,000 test images, SGD " +
                          "(Nesterov momentum 0.9, wd 5e-4), 30 epochs of cosine decay: batch 32 at lr 0.025, and batch 32·k at lr 0.025·k for " +
                          "k = 2, 4, 8, 16, each without warmup and with a 5-epoch linear warmup from 0 (Goyal et al. warm up from the small-batch lr).",
            Claim = "With the linear scaling rule, a k-times larger batch matches the small-batch accuracy when the lr is warmed up gradually, " +
                    "and fails without warmup at large k (Goyal et al. 2017).",
            Base = TenThousandImages with
            {
                Model = new TanhMlpModelConfig { Name = "mlp-tanh" },
                Epochs = LargeBatchEpochs,
                CheckpointEvery = 2000,
            },
            Variants = [Variant(1, false), .. LargeBatchMultipliers.Skip(1).SelectMany(k => new[] { Variant(k, true), Variant(k, false) })],
            Seeds = [0, 1, 2, 3, 4],
            AnalysisExamples = 1000,
            AnalysisBudget = "quick",
        };
    }
}
