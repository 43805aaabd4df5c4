using System.Text.Json.Nodes;
using TrainKit.Schedulers.Config;
using TrainKit.Training.Config;
using TrainKit.Training.Data.Text;
using TrainKit.Training.Export;
using TrainKit.Training.RunAnalysis;
using TrainKit.Training.Loop;
using TrainKit.Training.Tasks;
using TrainKit.Training.Tests.Data;

namespace TrainKit.Training.Tests.Export;

/// <summary>A run folder exported with <see cref="RunFolderExport"/> and read back through <c>model.init_from</c>
/// gives the exported run's test metrics; a run that leaves the key out keeps its configuration and hash.</summary>
public class InitFromRunTests : TempFolderTest
{
    static TrainingSummary Train(RunConfig config, string folder)
    {
        using var task = TrainingTasks.Create(config);
        return Trainer.ForRun(config, task, folder).Run();
    }

    static RunConfig TinyResNet() => new()
    {
        Model = new CifarResNetModelConfig { Width = 0.25 },
        BatchSize = 32,
        Steps = 3,
        LogEvery = 1,
        EvalEvery = 0,
        CheckpointEvery = 0,
        Seed = 4,
        Data = new DataConfig { EvalExamples = 300 },
        Schedule = ScheduleSpec.Of("ConstantLR", ("factor", 1)),
    };

    static RunConfig TinyGpt() => new()
    {
        Task = TrainingTaskKind.TransformerText,
        Model = new GptModelConfig { Layers = 1, Embedding = 16, Heads = 2, Context = 16 },
        Optimizer = new OptimizerConfig { Name = OptimizerKind.AdamW, Lr = 3e-3, WeightDecay = 0.01 },
        Data = new DataConfig { Tokenizer = TokenizerKind.Character, EvalExamples = 128 },
        BatchSize = 8,
        Steps = 4,
        LogEvery = 1,
        EvalEvery = 0,
        CheckpointEvery = 0,
        Seed = 6,
        Schedule = ScheduleSpec.Of("ConstantLR", ("factor", 1)),
    };

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData(StateDictFormat.Pt)]
    [InlineData(StateDictFormat.Safetensors)]
    public void A_resnet_built_from_an_export_of_a_run_gets_the_runs_test_metrics(StateDictFormat format)
    {
        string run = TempFolder("trainkit-export-run-");
        TrainingSummary trained = Train(TinyResNet(), run);
        var (path, tensors) = RunFolderExport.Export(run, format);
        Assert.Equal(Path.Combine(run, "model" + format.Extension()), path);
        Assert.Equal(116, tensors);

        // A fresh model of another seed, loaded from the export the way the trainer does before step 0.
        RunConfig started = TinyResNet() with { Seed = 99, Model = new CifarResNetModelConfig { Width = 0.25, InitFrom = path } };
        using var task = TrainingTasks.Create(started);
        InitFrom.Load(task.Model, path);
        var test = task.Evaluate("test");
        Assert.Equal(trained.Test.Loss, test.Loss, 6);
        Assert.Equal(trained.Test.Accuracy, test.Accuracy);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void A_gpt_run_with_init_from_starts_from_the_exported_weights()
    {
        string run = TempFolder("trainkit-export-run-");
        TrainingSummary trained = Train(TinyGpt(), run);
        var (path, _) = RunFolderExport.Export(run, StateDictFormat.Pt, Path.Combine(TempFolder("trainkit-export-out-"), "gpt.pt"));

        // One step with a learning rate of 1e-30 leaves every float32 weight as it was (and a GPT has no BatchNorm
        // statistics to move): the new run's final evaluation is that of the weights it started from.
        RunConfig still = TinyGpt() with
        {
            Steps = 1,
            Seed = 6,
            Optimizer = new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = 1e-30, Momentum = 0, Nesterov = false, WeightDecay = 0 },
        };
        TrainingSummary started = Train(still with { Model = new GptModelConfig { Layers = 1, Embedding = 16, Heads = 2, Context = 16, InitFrom = path } },
            TempFolder("trainkit-init-from-"));
        Assert.Equal(trained.Test.Loss, started.Test.Loss, 6);
        TrainingSummary plain = Train(still, TempFolder("trainkit-no-init-"));
        Assert.NotEqual(trained.Test.Loss, plain.Test.Loss, 3);
    }

    [Fact]
    public void Init_from_is_written_only_when_set_so_other_configurations_keep_their_hash()
    {
        var plain = new RunConfig();
        Assert.DoesNotContain("init_from", RunConfigJson.Serialize(plain));
        RunConfig roundTripped = RunConfigJson.Parse(RunConfigJson.Serialize(plain));
        Assert.Equal(ConfigFingerprint.Of(plain), ConfigFingerprint.Of(roundTripped));

        var set = plain with { Model = new CifarResNetModelConfig { InitFrom = "weights.pt" } };
        var model = JsonNode.Parse(RunConfigJson.Serialize(set))!["model"]!;
        Assert.Equal("weights.pt", model["init_from"]!.GetValue<string>());
        Assert.Equal("weights.pt", RunConfigJson.Parse(RunConfigJson.Serialize(set)).Model.InitFrom);
        Assert.NotEqual(ConfigFingerprint.Of(plain), ConfigFingerprint.Of(set));
        var gpt = RunConfigJson.Parse("""{"task": "transformer-text", "model": {"name": "gpt", "init_from": "x.safetensors"}}""");
        Assert.Equal("x.safetensors", gpt.Model.InitFrom);
    }

    [Fact]
    public void An_empty_init_from_and_one_for_a_model_without_a_map_are_refused_naming_the_key()
    {
        var e = Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(new RunConfig { Model = new CifarResNetModelConfig { InitFrom = " " } }));
        Assert.Contains("model.init_from", e.Message);
        e = Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(new RunConfig { Model = new PreActResNetModelConfig { InitFrom = "w.pt" } }));
        Assert.Equal("model.init_from: model 'preact-resnet18' has no PyTorch key map: export and model.init_from support the CIFAR ResNets (resnet{6n+2}) and gpt", e.Message);
    }

    [Fact]
    public void A_run_folder_without_a_final_model_or_config_is_refused_naming_the_file()
    {
        string empty = TempFolder("trainkit-export-empty-");
        var e = Assert.Throws<FileNotFoundException>(() => RunFolderExport.Export(empty, StateDictFormat.Pt));
        Assert.Contains("config.json", e.Message);
        File.WriteAllText(Path.Combine(empty, "config.json"), RunConfigJson.Serialize(TinyResNet()));
        e = Assert.Throws<FileNotFoundException>(() => RunFolderExport.Export(empty, StateDictFormat.Pt));
        Assert.Contains("model.bin", e.Message);
        File.WriteAllBytes(Path.Combine(empty, "model.bin"), [1, 2, 3, 4, 5, 6, 7, 8]);
        var corrupt = Assert.Throws<InvalidDataException>(() => RunFolderExport.Export(empty, StateDictFormat.Pt));
        Assert.Contains("model.bin", corrupt.Message);
    }
}
