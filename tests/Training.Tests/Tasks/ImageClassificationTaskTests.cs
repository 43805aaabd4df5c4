using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Metrics;
using TrainKit.Training.Tasks;
using TrainKit.Schedulers.Config;

namespace TrainKit.Training.Tests.Tasks;

public class ImageClassificationTaskTests
{
    static RunConfig Tiny(long steps) => new()
    {
        Model = new ModelConfig { Name = "resnet20", Width = 0.25 },
        BatchSize = 32, Steps = steps, LogEvery = 1, EvalEvery = 0, CheckpointEvery = 5, Seed = 11,
        Data = new DataConfig { EvalExamples = 500 },
        Schedule = ScheduleSpec.Of("WarmupCosine", ("warmup_steps", 3)),
    };

    static TrainingSummary Train(RunConfig config, string folder, bool resume = false, Action<TrainingProgress>? onProgress = null)
    {
        using var task = TrainingTasks.Create(config);
        var trainer = Trainer.ForRun(config, task, folder);
        trainer.OnProgress = onProgress;
        return trainer.Run(resume);
    }

    static double[] Losses(string run) => MetricsLog.Read(run).Select(r => r["train_loss"]!.GetValue<double>()).ToArray();

    [Fact]
    public void A_resnet_run_resumed_in_a_fresh_task_repeats_the_uninterrupted_losses_exactly()
    {
        string straight = Directory.CreateTempSubdirectory("trainkit-img-").FullName;
        string broken = Directory.CreateTempSubdirectory("trainkit-img-").FullName;
        Train(Tiny(14), straight);
        Assert.Throws<IOException>(() => { Train(Tiny(14), broken, onProgress: p => { if (p.Step == 8) throw new IOException("crash"); }); });
        Train(Tiny(14), broken, resume: true);
        Assert.Equal(Losses(straight), Losses(broken));
        Assert.Equal(14, Losses(broken).Length);
    }

    [Fact]
    public void A_small_resnet_learns_the_embedded_fashion_mnist_well_above_chance()
    {
        string run = Directory.CreateTempSubdirectory("trainkit-img-").FullName;
        var config = Tiny(150) with { BatchSize = 64, CheckpointEvery = 0, Model = new ModelConfig { Name = "resnet20", Width = 0.5 } };
        TrainingSummary summary = Train(config, run);
        Assert.True(summary.Test.Accuracy > 0.6, $"test accuracy {summary.Test.Accuracy} after 150 steps (chance is 0.1)");
    }

    [Fact]
    public void Cifar_without_data_is_a_clear_error()
    {
        var config = Tiny(1) with { Task = "resnet-cifar10", Data = new DataConfig { Source = "cifar10", Path = "/nonexistent/cifar" } };
        var ex = Assert.ThrowsAny<Exception>(() => TrainingTasks.Create(config));
        Assert.True(ex is ArgumentException or IOException, ex.GetType().Name);
        Assert.Contains("/nonexistent/cifar", ex.Message);
    }
}
