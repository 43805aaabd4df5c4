using System.Text.Json.Nodes;
using TrainKit.Training.Config;
using TrainKit.Training.Data.Text;

namespace TrainKit.Training.Experiments;

public static partial class Presets
{
    /// <summary>The peak lrs of the warmup-postln preset: Post-LN's need for warmup depends on the lr, so the claim is
    /// judged at each, and Pre-LN by its best lr.</summary>
    public static readonly double[] WarmupPostLnLrs = [1e-3, 3e-3];

    /// <summary>The warmup of the "with" arm: above RAdam's 2/(1−β2) = 200 steps for β2 = 0.99 (Ma &amp; Yarats 2021).</summary>
    public const int WarmupPostLnWarmup = 300;

    public static string WarmupPostLnVariant(string norm, double lr, bool warmup) => Name($"{norm}ln-lr{lr}-warmup{(warmup ? WarmupPostLnWarmup : 0)}");

    /// <summary>Xiong et al. 2020: Post-LN transformers trained with Adam need warmup, Pre-LN ones do not. Liu et al.
    /// 2020 (RAdam) explain warmup by the variance of Adam's early adaptive lr, which is why the warmup is set past
    /// 2/(1−β2); Admin (Liu et al. 2020b) is a different remedy and is not tested here. A 4-layer, width-64 GPT keeps
    /// 40 cells of 800 steps near an hour on two cores.</summary>
    static ExperimentSpec WarmupPostLn()
    {
        var variants = new List<VariantSpec>();
        foreach (string norm in new[] { "post", "pre" })
            foreach (double lr in WarmupPostLnLrs)
                foreach (bool warmup in new[] { false, true })
                    variants.Add(new(WarmupPostLnVariant(norm, lr, warmup),
                        Schedule("WarmupCosine", new JsonObject { ["warmup_steps"] = warmup ? WarmupPostLnWarmup : 0, ["min_lr_ratio"] = 0.1 }),
                        new JsonObject { ["model"] = new JsonObject { ["norm"] = norm }, ["optimizer"] = new JsonObject { ["lr"] = lr } }));
        return new ExperimentSpec
        {
            Name = "warmup-postln",
            Description = "4-layer GPT (width 64, 4 heads, context 64) on Debian's fortunes (characters), Adam (β2 = 0.99), batch 32, 800 steps of " +
                          "cosine decay to 10 %: Post-LN vs Pre-LN at peak lr 1e-3 and 3e-3, each without warmup and with 300 warmup steps " +
                          "(past 2/(1−β2) = 200, RAdam's equivalent).",
            Claim = "Without warmup, Post-LN transformers trained with Adam stay stuck or end worse; Pre-LN ones do not need warmup (Xiong et al. 2020; " +
                    "the warmup length follows Liu et al. 2020's RAdam analysis).",
            Base = new RunConfig
            {
                Task = TrainingTaskKind.TransformerText,
                Model = new GptModelConfig { Name = "gpt", Layers = 4, Embedding = 64, Heads = 4, Context = 64, Dropout = 0.0 },
                Data = new DataConfig { Tokenizer = TokenizerKind.Character, EvalExamples = 8192 },
                Optimizer = new OptimizerConfig { Name = OptimizerKind.Adam, Lr = WarmupPostLnLrs[^1], Beta1 = 0.9, Beta2 = 0.99, WeightDecay = 0 },
                BatchSize = 32,
                Steps = 800,
                LogEvery = 10,
                EvalEvery = 200,
                CheckpointEvery = 400,
            },
            Variants = variants,
            Seeds = [0, 1, 2, 3, 4],
            Analyze = false,
        };
    }
}
