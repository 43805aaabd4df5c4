using System.Text.Json.Nodes;
using TrainKit.Training.Config;

namespace TrainKit.Training.Experiments;

public static partial class Presets
{
    /// <summary>The short and the long budget of the linear-decay preset, in steps of 32 × 64 tokens: about 7 and 60
    /// tokens per parameter for its 110k-parameter GPT.</summary>
    public static readonly long[] LinearDecaySteps = [400, 3200];

    public static string LinearToZero(long steps) => Name($"linear0-{steps}");
    public static string CosineToZero(long steps) => Name($"cosine0-{steps}");
    public static string CosineToTenth(long steps) => Name($"cosine10-{steps}");

    /// <summary>Bergsma et al. 2025: with AdamW, a linear decay to zero beats cosine decay to 10 % of the peak, and the
    /// gain grows with tokens per parameter. Every schedule warms up linearly over the first 5 % of its steps.</summary>
    static ExperimentSpec LinearDecay()
    {
        var variants = new List<VariantSpec>();
        foreach (long steps in LinearDecaySteps)
        {
            long warmup = steps / 20;
            var length = new JsonObject { ["steps"] = steps };
            variants.Add(new(LinearToZero(steps), Schedule("hf.linear", new JsonObject { ["num_warmup_steps"] = warmup }), length));
            variants.Add(new(CosineToZero(steps), Schedule("WarmupCosine", new JsonObject { ["warmup_steps"] = warmup }), length.DeepClone().AsObject()));
            variants.Add(new(CosineToTenth(steps), Schedule("WarmupCosine", new JsonObject { ["warmup_steps"] = warmup, ["min_lr_ratio"] = 0.1 }),
                length.DeepClone().AsObject()));
        }
        return new ExperimentSpec
        {
            Name = "linear-decay",
            Description = "2-layer Pre-LN GPT (width 64, 4 heads, context 64, about 110k parameters) on Debian's fortunes (characters), AdamW " +
                          "(lr 3e-3, β2 0.99, weight decay 0.1), batch 32: linear decay to 0 vs cosine to 0 vs cosine to 10 % of the peak, " +
                          "each after a 5 % linear warmup, at 400 and 3,200 steps (about 7 and 60 tokens per parameter).",
            Claim = "With AdamW, a linear decay to zero ends at a lower validation loss than a cosine decay to 10 % of the peak, and the gain grows " +
                    "with tokens per parameter (Bergsma et al. 2025).",
            Base = new RunConfig
            {
                Task = TrainingTaskKind.TransformerText,
                Model = new GptModelConfig { Name = "gpt", Layers = 2, Embedding = 64, Heads = 4, Context = 64, Dropout = 0.0 },
                Data = new DataConfig { Tokenizer = Data.Text.TokenizerKind.Character, EvalExamples = 8192 },
                Optimizer = new OptimizerConfig { Name = OptimizerKind.AdamW, Lr = 3e-3, Beta1 = 0.9, Beta2 = 0.99, WeightDecay = 0.1 },
                BatchSize = 32,
                Steps = LinearDecaySteps[0],
                LogEvery = 10,
                EvalEvery = 0,
                CheckpointEvery = 400,
            },
            Variants = variants,
            Seeds = [0, 1, 2, 3, 4],
            Analyze = false,
        };
    }
}
