using TrainKit.Models.Transformer;
using TrainKit.Training.Config;
using TrainKit.Training.Data.Text;

namespace TrainKit.Training.Tests.Config;

public class RunConfigTests
{
    [Fact]
    public void The_default_config_round_trips_through_json_and_is_valid()
    {
        var config = new RunConfig();
        string json = RunConfigJson.Serialize(config);
        Assert.Contains("\"batch_size\": 128", json);
        Assert.Contains("\"decay_norm_and_bias\": false", json);
        RunConfig back = RunConfigJson.Parse(json);
        Assert.Equal(json, RunConfigJson.Serialize(back));
        RunConfigValidator.Validate(back);
    }

    [Theory]
    [InlineData("""{"batch_sise": 64}""", "unknown key 'batch_sise'")]
    [InlineData("""{"optimizer": {"lrr": 0.1}}""", "unknown key 'optimizer.lrr'")]
    [InlineData("""{"ema": {"decai": 0.99}}""", "unknown key 'ema.decai'")]
    [InlineData("""{"ema": {"warmup": "yes"}}""", "bad value at 'ema.warmup'")]
    [InlineData("""{"batch_size": "big"}""", "bad value at 'batch_size'")]
    public void Unknown_keys_and_wrong_types_name_the_key(string json, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigJson.Parse(json, "run.json"));
        Assert.StartsWith("run.json: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("""{"optimizer": {"lr": -1}}""", "optimizer.lr must be a positive")]
    [InlineData("""{"batch_size": 0}""", "batch_size must be at least 1")]
    [InlineData("""{"task": "transformer-text", "model": {"name": "gpt", "embedding": 100, "heads": 3}}""", "model.embedding (100) must be divisible by model.heads (3)")]
    [InlineData("""{"optimizer": {"momentum": 1.5}}""", "optimizer.momentum must be in [0, 1)")]
    [InlineData("""{"ema": {"decay": 1}}""", "ema.decay must be in [0, 1), got 1")]
    [InlineData("""{"ema": {"decay": -0.1}}""", "ema.decay must be in [0, 1), got -0.1")]
    public void Bad_values_name_the_key_and_the_allowed_range(string json, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(RunConfigJson.Parse(json)));
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("""{"task": "gan"}""", "task must be one of resnet-fashion-mnist, resnet-cifar10, transformer-text, full-batch-mse; got 'gan'")]
    [InlineData("""{"device": "tpu"}""", "device must be one of auto, cpu, cuda; got 'tpu'")]
    [InlineData("""{"optimizer": {"name": "lion"}}""", "optimizer.name must be one of sgd, adam, adamw; got 'lion'")]
    [InlineData("""{"model": {"name": "gpt", "norm": "sandwich"}}""", "model.norm must be one of pre, post; got 'sandwich'")]
    [InlineData("""{"divergence": {"on_divergence": "retry"}}""", "divergence.on_divergence must be one of stop, rollback; got 'retry'")]
    [InlineData("""{"data": {"tokenizer": "gpt2"}}""", "data.tokenizer must be one of char, cl100k, o200k; got 'gpt2'")]
    [InlineData("""{"data": {"source": "text"}}""", "data.source must be one of embedded, fashion-mnist, mnist, cifar10, cifar100; got 'text'")]
    [InlineData("""{"early_stopping": {"mode": "up"}}""", "early_stopping.mode must be one of min, max; got 'up'")]
    // Spellings are exact, and a number is not the member at that position.
    [InlineData("""{"optimizer": {"name": "AdamW"}}""", "optimizer.name must be one of sgd, adam, adamw; got 'AdamW'")]
    [InlineData("""{"optimizer": {"name": 1}}""", "optimizer.name must be one of sgd, adam, adamw; got 1")]
    [InlineData("""{"task": {"name": "x"}}""", "task must be one of resnet-fashion-mnist, resnet-cifar10, transformer-text, full-batch-mse; got an object")]
    public void A_choice_outside_its_spellings_is_refused_naming_the_key_and_the_allowed_values(string json, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigJson.Parse(json, "run.json"));
        Assert.Equal($"run.json: {expected}", ex.Message);
    }

    [Fact]
    public void Every_choice_reads_and_writes_its_json_spelling()
    {
        var config = RunConfigJson.Parse("""
            {"task": "full-batch-mse", "device": "cpu", "model": {"name": "gpt", "norm": "post"}, "optimizer": {"name": "adamw"},
             "data": {"source": "mnist", "tokenizer": "cl100k"}, "divergence": {"on_divergence": "rollback"},
             "early_stopping": {"mode": "max"}}
            """);
        Assert.Equal(TrainingTaskKind.FullBatchMse, config.Task);
        Assert.Equal(DeviceChoice.Cpu, config.Device);
        Assert.Equal(LayerNormPlacement.PostLN, Assert.IsType<GptModelConfig>(config.Model).Norm);
        Assert.Equal(OptimizerKind.AdamW, config.Optimizer.Name);
        Assert.Equal(ImageSource.Mnist, config.Data.Source);
        Assert.Equal(TokenizerKind.Cl100k, config.Data.Tokenizer);
        Assert.Equal(DivergenceAction.Rollback, config.Divergence.OnDivergence);
        Assert.Equal(ImprovementDirection.Max, config.EarlyStopping!.Mode);
        string json = RunConfigJson.Serialize(config);
        foreach (string written in new[] { "\"task\": \"full-batch-mse\"", "\"device\": \"cpu\"", "\"norm\": \"post\"", "\"name\": \"adamw\"",
                     "\"source\": \"mnist\"", "\"tokenizer\": \"cl100k\"", "\"on_divergence\": \"rollback\"", "\"mode\": \"max\"" })
            Assert.Contains(written, json);
    }

    [Fact]
    public void Every_member_of_every_choice_has_a_distinct_spelling_that_round_trips()
    {
        AssertRoundTrips<TrainingTaskKind>(); AssertRoundTrips<DeviceChoice>(); AssertRoundTrips<OptimizerKind>(); AssertRoundTrips<LayerNormPlacement>();
        AssertRoundTrips<ImageSource>(); AssertRoundTrips<TokenizerKind>(); AssertRoundTrips<DivergenceAction>(); AssertRoundTrips<ImprovementDirection>();

        static void AssertRoundTrips<T>() where T : struct, Enum
        {
            T[] members = Enum.GetValues<T>();
            Assert.Equal(members.Length, ChoiceSpelling<T>.Names.Distinct().Count());
            foreach (T member in members) Assert.Equal(member, ChoiceSpelling<T>.TryParse(member.Spelling()));
        }
    }

    [Fact]
    public void The_fork_keys_are_written_only_when_set_so_other_runs_configs_and_hashes_stay_as_they_were()
    {
        string plain = RunConfigJson.Serialize(new RunConfig());
        Assert.DoesNotContain("keep_checkpoints", plain);
        Assert.DoesNotContain("forked_from", plain);
        Assert.DoesNotContain("checkpoints_kept", plain); // the resolved count is not a key
        Assert.Equal(2, new RunConfig().CheckpointsKept);

        var fork = new RunConfig { KeepCheckpoints = 0, ForkedFrom = new ForkOrigin { Run = "/runs/a", Step = 800, ParentConfigSha256 = "ab" } };
        string written = RunConfigJson.Serialize(fork);
        Assert.Contains("\"keep_checkpoints\": 0", written);
        Assert.Contains("\"parent_config_sha256\": \"ab\"", written);
        Assert.Equal(written, RunConfigJson.Serialize(RunConfigJson.Parse(written)));
        Assert.Equal(0, RunConfigJson.Parse(written).CheckpointsKept);
    }

    [Fact]
    public void The_ema_block_is_off_when_absent_written_only_when_set_and_leaves_the_checkpoint_fingerprint_alone()
    {
        var plain = new RunConfig();
        Assert.Null(RunConfigJson.Parse("{}").Ema);
        Assert.Null(RunConfigJson.Parse("""{"ema": null}""").Ema);
        Assert.DoesNotContain("ema", RunConfigJson.Serialize(plain)); // so configs and hashes without it are as they were

        // An empty block takes the defaults; the keys read and write in snake_case.
        Assert.Equal(new EmaConfig { Decay = 0.999, Warmup = false }, RunConfigJson.Parse("""{"ema": {}}""").Ema);
        var averaged = RunConfigJson.Parse("""{"ema": {"decay": 0.99, "warmup": true}}""");
        Assert.Equal(new EmaConfig { Decay = 0.99, Warmup = true }, averaged.Ema);
        string written = RunConfigJson.Serialize(averaged);
        Assert.Contains("\"ema\": {", written);
        Assert.Contains("\"warmup\": true", written);
        Assert.Equal(written, RunConfigJson.Serialize(RunConfigJson.Parse(written)));
        RunConfigValidator.Validate(averaged);

        // The average watches the trajectory without changing it: a resume may turn it on or off.
        Assert.Equal(ConfigFingerprint.Of(plain), ConfigFingerprint.Of(averaged));
        Assert.Empty(ConfigFingerprint.ChangedKeys(ConfigFingerprint.Relevant(plain), averaged));
        Assert.NotEqual(TrainKit.Training.Experiments.ConfigHash.Of(plain), TrainKit.Training.Experiments.ConfigHash.Of(averaged));
    }
}

public class RunConfigHostileInputTests
{
    [Theory]
    [InlineData("""{"model": null}""", "'model' is null")]
    [InlineData("""{"schedule": null}""", "'schedule' is null")]
    [InlineData("""{"optimizer": null}""", "'optimizer' is null")]
    [InlineData("""{"divergence": null}""", "'divergence' is null")]
    [InlineData("""{"data": {"source": null}}""", "'data.source' is null")]
    [InlineData("""{"schedule": {"kind": "StepLR", "params": null}}""", "'schedule.params' is null")]
    public void A_null_block_is_refused_naming_the_key(string json, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigJson.Parse(json));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void A_duplicate_key_is_refused_instead_of_shadowing_the_first()
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigJson.Parse("""{"optimizer": {"lr": 0.1, "lr": 5}}"""));
        Assert.Contains("lr", ex.Message);
    }

    [Theory]
    [InlineData("""{"optimizer": {"lr": 1e308}}""", "optimizer.lr")]
    [InlineData("""{"optimizer": {"weight_decay": 1e300}}""", "optimizer.weight_decay")]
    [InlineData("""{"epochs": 1e300}""", "epochs")]
    [InlineData("""{"steps": 100000000000000}""", "steps")]
    [InlineData("""{"divergence": {"max_rollbacks": -5}}""", "divergence.max_rollbacks")]
    [InlineData("""{"model": {"width": 1e9}}""", "model.width")]
    [InlineData("""{"task": "transformer-text", "model": {"name": "gpt", "embedding": 100000000, "heads": 1}}""", "model.embedding")]
    [InlineData("""{"grad_clip": 1e300}""", "grad_clip")]
    [InlineData("""{"data": {"path": "/data/fashion", "source": "embedded"}}""", "data.path")]
    [InlineData("""{"keep_checkpoints": -1}""", "keep_checkpoints")]
    [InlineData("""{"forked_from": {"run": "", "step": 5}}""", "forked_from")]
    [InlineData("""{"forked_from": {"run": "/runs/a", "step": 0}}""", "forked_from")]
    public void Values_that_pass_as_doubles_but_break_the_run_are_refused_naming_the_key(string json, string key)
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(RunConfigJson.Parse(json)));
        Assert.Contains(key, ex.Message);
    }
}
