using TrainKit.Models.Transformer;
using TrainKit.Schedulers.Config;
using TrainKit.Training.Config;
using TrainKit.Training.Data.Text;
using TrainKit.Training.Loop;
using TrainKit.Training.Metrics;
using TrainKit.Training.Tasks;

namespace TrainKit.Training.Tests.Tasks;

public class LanguageModelTaskTests
{
    static RunConfig Tiny(LayerNormPlacement norm) => new()
    {
        Task = TrainingTaskKind.TransformerText,
        Model = new GptModelConfig { Layers = 1, Embedding = 32, Heads = 2, Context = 32, Norm = norm, Dropout = 0.1 },
        Optimizer = new OptimizerConfig { Name = OptimizerKind.AdamW, Lr = 3e-3, WeightDecay = 0.01 },
        Data = new DataConfig { Tokenizer = TokenizerKind.Character, EvalExamples = 256 },
        BatchSize = 8,
        Steps = 12,
        LogEvery = 1,
        EvalEvery = 0,
        CheckpointEvery = 5,
        Seed = 2,
        Schedule = ScheduleSpec.Of("InverseSqrt", ("warmup_steps", 4)),
    };

    static void Train(RunConfig config, string folder, bool resume = false, Action<TrainingProgress>? onProgress = null)
    {
        using var task = TrainingTasks.Create(config);
        var trainer = Trainer.ForRun(config, task, folder);
        trainer.OnProgress = onProgress;
        trainer.Run(resume);
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData(LayerNormPlacement.PreLN)]
    [InlineData(LayerNormPlacement.PostLN)]
    public void A_gpt_on_fortunes_resumes_exactly_and_reports_perplexity(LayerNormPlacement norm)
    {
        string straight = Directory.CreateTempSubdirectory("trainkit-lm-").FullName;
        string broken = Directory.CreateTempSubdirectory("trainkit-lm-").FullName;
        Train(Tiny(norm), straight);
        Assert.Throws<IOException>(() => { Train(Tiny(norm), broken, onProgress: p => { if (p.Step == 7) throw new IOException("crash"); }); });
        Train(Tiny(norm), broken, resume: true);
        double[] Losses(string run) => MetricsLog.Read(run).Select(r => r["train_loss"]!.GetValue<double>()).ToArray();
        Assert.Equal(Losses(straight), Losses(broken));
        var last = MetricsLog.Read(broken)[^1];
        double perplexity = last["test_perplexity"]!.GetValue<double>();
        Assert.InRange(perplexity, 1, 200);
        Assert.Equal(Math.Exp(last["test_eval_loss"]!.GetValue<double>()), perplexity, 6);
    }
}
