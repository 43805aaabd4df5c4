using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Metrics;

namespace TrainKit.Training.Tests.Loop;

/// <summary>The run folder as a transaction: one writer, config.json replaced only when it changes, and a resume
/// that refuses a checkpoint it cannot continue faithfully.</summary>
public class TrainerRunFolderTests
{
    static RunConfig Config(long steps = 20) => new()
    {
        Steps = steps,
        LogEvery = 1,
        EvalEvery = 0,
        CheckpointEvery = 10,
        Seed = 3,
        Optimizer = new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = 0.05, Momentum = 0.9, Nesterov = true, WeightDecay = 1e-4 },
    };

    static string RunDir() => Directory.CreateTempSubdirectory("trainkit-runfolder-").FullName;

    static void Train(RunConfig config, string run, bool resume = false)
    {
        using var task = new SyntheticTask(seed: 3);
        new Trainer(config, task, (o, t) => new LinearDecay(o, t), run).Run(resume);
    }

    [Fact]
    public void A_second_trainer_on_a_locked_run_folder_is_refused_naming_the_holder_pid()
    {
        string run = RunDir();
        using (RunFolderLock.Acquire(run))
        {
            var ex = Assert.Throws<ArgumentException>(() => Train(Config(), run));
            Assert.Contains($"PID {Environment.ProcessId}", ex.Message);
            Assert.Contains(run, ex.Message);
            Assert.False(File.Exists(Path.Combine(run, "metrics.jsonl")));
        }
        Train(Config(), run); // released: the folder can be used again
        Assert.Equal(20, MetricsLog.Read(run).Count);
    }

    [Fact]
    public void Resuming_with_the_same_configuration_leaves_config_json_untouched()
    {
        string run = RunDir();
        Train(Config(), run);
        string path = Path.Combine(run, "config.json");
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, old);
        Train(Config(), run, resume: true);
        Assert.Equal(old, File.GetLastWriteTimeUtc(path));
        Assert.Equal(RunConfigJson.Serialize(Config()), File.ReadAllText(path));
    }

    [Fact]
    public void Resuming_under_a_changed_configuration_is_refused_naming_the_changed_keys()
    {
        string run = RunDir();
        Train(Config(), run);
        var edited = Config(30) with { Optimizer = Config().Optimizer with { Lr = 0.2 }, BatchSize = 64 };
        var ex = Assert.Throws<ArgumentException>(() => Train(edited, run, resume: true));
        Assert.Contains("optimizer.lr (0.05 → 0.2)", ex.Message);
        Assert.Contains("batch_size (128 → 64)", ex.Message);
        Assert.DoesNotContain("steps (", ex.Message); // the run length may change on resume
        Train(Config(30), run, resume: true);          // only the length changed: allowed
        Assert.Equal(30, MetricsLog.Read(run).Count);
    }

    [Fact]
    public void Extending_a_run_on_resume_keeps_the_schedule_it_started_with()
    {
        // A cosine filled from the run length (T_max omitted): 20 steps. Resumed with 30 steps, the schedule keeps
        // T_max = 20, as PyTorch's load_state_dict does; the extra steps run at the cosine's end (eta_min 0).
        var config = Config(20) with { Schedule = TrainKit.Schedulers.Config.ScheduleSpec.Of("CosineAnnealingLR") };
        string run = RunDir();
        using (var task = new SyntheticTask(seed: 3)) Trainer.ForRun(config, task, run).Run();
        using (var task = new SyntheticTask(seed: 3)) Trainer.ForRun(config with { Steps = 30 }, task, run).Run(resume: true);
        var lrs = MetricsLog.Read(run).Select(r => r["lr"]!.GetValue<double>()).ToArray();
        Assert.Equal(30, lrs.Length);
        var expected = Enumerable.Range(0, 30).Select(t => 0.05 * (1 + Math.Cos(Math.PI * t / 20)) / 2).ToArray();
        Assert.Equal(expected, lrs, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Resuming_with_fewer_steps_than_the_checkpoint_is_refused()
    {
        string run = RunDir();
        Train(Config(20), run);
        var ex = Assert.Throws<ArgumentException>(() => Train(Config(10), run, resume: true));
        Assert.Contains("checkpointed at step 20, past this run's 10 steps", ex.Message);
    }

    [Theory]
    [InlineData("rng")]
    [InlineData("model")]
    [InlineData("optimizer")]
    public void A_truncated_or_empty_checkpoint_part_is_refused_naming_the_file_before_native_code_reads_it(string part)
    {
        string run = RunDir();
        Train(Config(), run);
        string folder = new CheckpointStore(run).Latest()!.Folder;
        string file = Path.Combine(folder, part + ".bin");
        File.WriteAllBytes(file, part == "rng" ? [] : File.ReadAllBytes(file)[..^7]);
        // Before the digests, an empty rng.bin aborted the whole process inside libtorch (exit 134).
        var ex = Assert.Throws<InvalidDataException>(() => Train(Config(30), run, resume: true));
        Assert.Contains(file, ex.Message);
    }

    [Fact]
    public void A_checkpoint_of_another_architecture_names_the_model_part_and_the_likely_cause()
    {
        string run = RunDir();
        Train(Config(), run);
        var ckpt = new CheckpointStore(run).Latest()!;
        // Replace the weights by those of a different model, with a matching digest, as a hand-copied file would be.
        using var other = TorchSharp.torch.nn.Linear(3, 2);
        var bytes = new MemoryStream();
        other.save(bytes);
        byte[] weights = bytes.ToArray();
        File.WriteAllBytes(Path.Combine(ckpt.Folder, "model.bin"), weights);
        ckpt.State["part_digests"]!["model"] = PartDigest.Of(weights).ToJson();
        File.WriteAllText(Path.Combine(ckpt.Folder, "state.json"), ckpt.State.ToJsonString());
        var ex = Assert.Throws<InvalidDataException>(() => Train(Config(30), run, resume: true));
        Assert.Contains("cannot load its model part", ex.Message);
        Assert.Contains("architecture", ex.Message);
    }

    /// <summary>Rewrites the run's latest checkpoint and config.json as a version before the model split wrote them:
    /// the flat model block with all eight keys, and (<paramref name="dropAddedKeys"/>) none of the keys added since.</summary>
    static void MakeOld(string run, string heads = "4", bool dropAddedKeys = false)
    {
        var oldModel = $$"""{"name": "resnet20", "width": 1, "layers": 4, "embedding": 128, "heads": {{heads}}, "context": 64, "dropout": 0, "norm": "pre"}""";
        var ckpt = new CheckpointStore(run).Latest()!;
        var recorded = ckpt.State["config"]!.AsObject();
        recorded["model"] = System.Text.Json.Nodes.JsonNode.Parse(oldModel);
        if (dropAddedKeys) foreach (string key in new[] { "accumulate", "label_smoothing", "early_stopping" }) recorded.Remove(key);
        File.WriteAllText(Path.Combine(ckpt.Folder, "state.json"), ckpt.State.ToJsonString());
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!.AsObject();
        config["model"] = System.Text.Json.Nodes.JsonNode.Parse(oldModel);
        File.WriteAllText(Path.Combine(run, "config.json"), config.ToJsonString());
    }

    [Fact]
    public void A_run_folder_written_before_the_model_split_resumes()
    {
        string run = RunDir();
        try
        {
            Train(Config(), run);
            MakeOld(run, dropAddedKeys: true);
            // As `train --resume` does: the configuration comes from the folder's config.json.
            RunConfig fromFolder = RunConfigJson.Load(Path.Combine(run, "config.json"));
            Assert.Equal(Config().Model, fromFolder.Model);
            Train(fromFolder with { Steps = 30 }, run, resume: true);
            Assert.Equal(30, MetricsLog.Read(run).Count);
            // config.json is rewritten in the current layout.
            Assert.DoesNotContain("\"heads\"", File.ReadAllText(Path.Combine(run, "config.json")));
        }
        finally { Directory.Delete(run, recursive: true); }
    }

    [Fact]
    public void An_old_checkpoint_whose_model_asked_for_a_key_it_ignored_is_refused_naming_the_key()
    {
        string run = RunDir();
        try
        {
            Train(Config(), run);
            MakeOld(run, heads: "8");
            var ex = Assert.Throws<ArgumentException>(() => Train(Config(30), run, resume: true));
            Assert.Contains("model.heads (8 → absent)", ex.Message);
        }
        finally { Directory.Delete(run, recursive: true); }
    }
}
