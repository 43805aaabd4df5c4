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
        Model = new CifarResNetModelConfig { Width = 0.25 },
        BatchSize = 32,
        Steps = steps,
        LogEvery = 1,
        EvalEvery = 0,
        CheckpointEvery = 5,
        Seed = 11,
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

    [Trait("Category", "Slow")]
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

    [Trait("Category", "Slow")]
    [Fact]
    public void A_small_resnet_learns_the_embedded_fashion_mnist_well_above_chance()
    {
        string run = Directory.CreateTempSubdirectory("trainkit-img-").FullName;
        var config = Tiny(150) with { BatchSize = 64, CheckpointEvery = 0, Model = new CifarResNetModelConfig { Width = 0.5 } };
        TrainingSummary summary = Train(config, run);
        Assert.True(summary.Test.Accuracy > 0.6, $"test accuracy {summary.Test.Accuracy} after 150 steps (chance is 0.1)");
    }

    [Fact]
    public void Cifar_without_data_is_a_clear_error()
    {
        var config = Tiny(1) with { Task = TrainingTaskKind.ResNetCifar10, Data = new DataConfig { Source = ImageSource.Cifar10, Path = "/nonexistent/cifar" } };
        var ex = Assert.ThrowsAny<Exception>(() => TrainingTasks.Create(config));
        Assert.True(ex is ArgumentException or IOException, ex.GetType().Name);
        Assert.Contains("/nonexistent/cifar", ex.Message);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Subset_and_validation_fraction_shape_the_training_images_and_add_a_validation_evaluation()
    {
        var config = Tiny(4) with { Data = new DataConfig { EvalExamples = 0, Subset = 1000, ValidationFraction = 0.1 }, EvalEvery = 2 };
        using (var task = (ImageClassificationTask)TrainingTasks.Create(config))
        {
            Assert.Equal(900, task.TrainSet.Count);
            Assert.Equal(28, task.StepsPerEpoch); // 900 / 32 = 28.1: the partial batch is dropped
            Assert.Equal(100, task.Predict("validation").Labels.shape[0]);
            Assert.Throws<ArgumentException>(() => task.Predict("val"));
        }
        string run = Directory.CreateTempSubdirectory("trainkit-img-").FullName;
        Train(config, run);
        var evaluated = MetricsLog.Read(run).Where(r => r["test_eval_loss"] is not null).ToList();
        Assert.Equal(2, evaluated.Count);
        Assert.All(evaluated, r => Assert.InRange(r["validation_accuracy"]!.GetValue<double>(), 0, 1));
    }

    [Fact]
    public void Data_settings_that_do_not_apply_to_a_task_are_rejected_by_name()
    {
        var text = new RunConfig { Task = TrainingTaskKind.TransformerText, Model = new GptModelConfig(), Data = new DataConfig { ValidationFraction = 0.1 } };
        Assert.Contains("data.validation_fraction", Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(text)).Message);
        var tooMuch = Tiny(4) with { Data = new DataConfig { Subset = 100, ValidationFraction = 0.49 } };
        using (var task = TrainingTasks.Create(tooMuch)) Assert.Equal(51, ((ImageClassificationTask)task).TrainSet.Count); // 49 of 100 held out
        var nothingLeft = Tiny(4) with { Data = new DataConfig { Subset = 1, ValidationFraction = 0.4 } };
        Assert.Contains("data.validation_fraction", Assert.Throws<ArgumentException>(() => TrainingTasks.Create(nothingLeft)).Message);
    }
}
