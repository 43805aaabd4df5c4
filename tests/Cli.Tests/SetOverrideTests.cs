using TrainKit.Training.Config;

namespace TrainKit.Cli.Tests;

public class SetOverrideTests
{
    static string WriteConfig(string json)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("trainkit-cli-set-").FullName, "run.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Print_config_shows_the_file_the_flags_and_every_set_applied_in_that_order()
    {
        string file = WriteConfig("""{"optimizer": {"lr": 0.2, "name": "sgd"}, "seed": 1, "batch_size": 64}""");
        var (code, output, error) = CliHarness.Run("train", "--print-config", "--config", file, "--seed", "9", "--steps", "30",
            "--set", "optimizer.lr=0.05", "--set", "optimizer.name=adamw", "--set", "batch_size=16",
            "--set", "early_stopping.patience=4", "--set", "data.validation_fraction=0.1", "--set", "snapshot_epochs=[0.5]");
        Assert.True(code == 0, error);
        RunConfig resolved = RunConfigJson.Parse(output);
        Assert.Equal(0.05, resolved.Optimizer.Lr);
        Assert.Equal(OptimizerKind.AdamW, resolved.Optimizer.Name);  // not JSON: read as the string "adamw"
        Assert.Equal(16, resolved.BatchSize);               // --set wins over the file
        Assert.Equal(9, resolved.Seed);                     // the flag wins over the file
        Assert.Equal(30, resolved.Steps);
        Assert.Equal(4, resolved.EarlyStopping!.Patience);  // an absent block is created with its defaults
        Assert.Equal("validation_eval_loss", resolved.EarlyStopping.Metric);
        Assert.Equal([0.5], resolved.SnapshotEpochs);
        Assert.Equal(0.9, resolved.Optimizer.Momentum);     // untouched keys keep the file's or the default value
    }

    [Fact]
    public void Set_turns_on_the_moving_average_with_its_defaults_and_print_config_shows_the_block()
    {
        var (code, output, error) = CliHarness.Run("train", "--print-config", "--set", "ema.warmup=true");
        Assert.True(code == 0, error);
        Assert.Equal(new EmaConfig { Decay = 0.999, Warmup = true }, RunConfigJson.Parse(output).Ema);
        Assert.Contains("\"decay\": 0.999", output);

        var (plainCode, plain, plainError) = CliHarness.Run("train", "--print-config");
        Assert.True(plainCode == 0, plainError);
        Assert.Null(RunConfigJson.Parse(plain).Ema); // off unless set
    }

    [Fact]
    public void A_later_set_of_the_same_key_wins()
    {
        var (code, output, error) = CliHarness.Run("train", "--print-config", "--set", "optimizer.lr=0.3", "--set", "optimizer.lr=0.01");
        Assert.True(code == 0, error);
        Assert.Equal(0.01, RunConfigJson.Parse(output).Optimizer.Lr);
    }

    [Theory]
    [InlineData("optimizer.learning_rate=0.1", "unknown key 'optimizer.learning_rate'")]
    [InlineData("optimiser.lr=0.1", "unknown key 'optimiser'")]
    [InlineData("optimizer.lr=-1", "optimizer.lr must be a positive number")]
    [InlineData("batch_size=big", "bad value at 'batch_size'")]
    [InlineData("accumulate=0", "accumulate must be at least 1")]
    [InlineData("optimizer.lr.x=1", "'optimizer.lr' is a value, not a block")]
    [InlineData("optimizer.lr", "is not key.path=value")]
    [InlineData("early_stopping.metric=test_accuracy", "leakage")]
    [InlineData("ema.decay=1", "ema.decay must be in [0, 1), got 1")]
    [InlineData("ema.decai=0.9", "unknown key 'ema.decai'")]
    public void A_bad_set_exits_2_with_the_same_message_as_a_config_file(string assignment, string message)
    {
        var (code, _, error) = CliHarness.Run("train", "--print-config", "--set", assignment);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("optimizer.name=adamx", """{"optimizer": {"name": "adamx"}}""", "optimizer.name must be one of sgd, adam, adamw; got 'adamx'")]
    [InlineData("task=resnet-cifar100", """{"task": "resnet-cifar100"}""",
        "task must be one of resnet-fashion-mnist, resnet-cifar10, transformer-text, full-batch-mse; got 'resnet-cifar100'")]
    [InlineData("data.source=text", """{"data": {"source": "text"}}""", "data.source must be one of embedded, fashion-mnist, mnist, cifar10, cifar100; got 'text'")]
    [InlineData("model.name=vgg16", """{"model": {"name": "vgg16"}}""", "model.name: unknown model 'vgg16'; known: resnet20, resnet32, resnet44, resnet56, resnet110, preact-resnet18, mlp-tanh, gpt")]
    public void A_misspelled_choice_exits_2_naming_the_key_and_the_allowed_values_from_set_and_from_a_file(string assignment, string json, string message)
    {
        var (code, _, error) = CliHarness.Run("train", "--print-config", "--set", assignment);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--set: {message}", error);

        string file = WriteConfig(json);
        var (fileCode, _, fileError) = CliHarness.Run("train", "--print-config", "--config", file);
        Assert.Equal(ExitCodes.BadInput, fileCode);
        Assert.Contains($"{file}: {message}", fileError);
    }

    [Fact]
    public void A_misspelled_device_flag_exits_2_naming_the_flag_and_the_allowed_values()
    {
        var (code, _, error) = CliHarness.Run("train", "--print-config", "--device", "gpu");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("device (--device) must be one of auto, cpu, cuda; got gpu", error);
    }

    [Fact]
    public void Set_and_the_device_flag_write_the_choices_under_their_json_spellings()
    {
        var (code, output, error) = CliHarness.Run("train", "--print-config", "--device", "cpu", "--set", "task=transformer-text",
            "--set", "model.name=gpt", "--set", "model.norm=post", "--set", "data.tokenizer=o200k", "--set", "divergence.on_divergence=rollback");
        Assert.True(code == 0, error);
        foreach (string written in new[] { "\"task\": \"transformer-text\"", "\"device\": \"cpu\"", "\"norm\": \"post\"",
                     "\"tokenizer\": \"o200k\"", "\"on_divergence\": \"rollback\"" })
            Assert.Contains(written, output);
    }

    [Fact]
    public void A_model_key_of_another_kind_exits_2_naming_the_key_the_model_and_its_keys_from_set_and_from_a_file()
    {
        var (code, _, error) = CliHarness.Run("train", "--print-config", "--set", "model.heads=2");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--set: model.heads does not apply to resnet20 (its keys: name, width)", error);

        string file = WriteConfig("""{"task": "transformer-text", "model": {"name": "gpt", "width": 0.5}}""");
        var (fileCode, _, fileError) = CliHarness.Run("train", "--print-config", "--config", file);
        Assert.Equal(ExitCodes.BadInput, fileCode);
        Assert.Contains($"{file}: model.width does not apply to gpt (its keys: name, layers, embedding, heads, context, dropout, norm)", fileError);
    }

    [Fact]
    public void Setting_the_model_name_to_another_kind_starts_from_that_kinds_defaults_and_the_task_must_build_it()
    {
        var (code, output, error) = CliHarness.Run("train", "--print-config", "--set", "model.width=0.5", "--set", "task=transformer-text",
            "--set", "model.name=gpt", "--set", "model.norm=1");
        Assert.Equal(ExitCodes.BadInput, code);                          // the width given in the same command is not dropped
        Assert.Contains("--set: model.width does not apply to gpt", error);

        (code, output, error) = CliHarness.Run("train", "--print-config", "--set", "task=transformer-text", "--set", "model.name=gpt", "--set", "model.heads=2");
        Assert.True(code == 0, error);
        var gpt = Assert.IsType<GptModelConfig>(RunConfigJson.Parse(output).Model);
        Assert.Equal(new GptModelConfig { Heads = 2 }, gpt);
        Assert.DoesNotContain("\"width\"", output);                      // the ResNet's width did not follow

        (code, _, error) = CliHarness.Run("train", "--print-config", "--set", "task=transformer-text", "--set", "model.name=gpt", "--set", "model.norm=1");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--set: model.norm must be one of pre, post; got 1", error);

        (code, _, error) = CliHarness.Run("train", "--print-config", "--set", "task=transformer-text");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("task transformer-text trains a language model and builds only gpt, not model.name 'resnet20'", error);
    }

    [Fact]
    public void A_file_with_the_same_bad_key_gives_the_same_message()
    {
        var (_, _, fromFile) = CliHarness.Run("train", "--print-config", "--config", WriteConfig("""{"optimizer": {"learning_rate": 0.1}}"""));
        var (_, _, fromSet) = CliHarness.Run("train", "--print-config", "--set", "optimizer.learning_rate=0.1");
        Assert.Contains("unknown key 'optimizer.learning_rate'", fromFile);
        Assert.Contains("unknown key 'optimizer.learning_rate'", fromSet);
    }

    [Fact]
    public void Set_cannot_change_a_resumed_run()
    {
        var (code, _, error) = CliHarness.Run("train", "--resume", Directory.CreateTempSubdirectory("trainkit-cli-set-").FullName, "--set", "optimizer.lr=0.1");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("and --set cannot change it", error);
    }
}
