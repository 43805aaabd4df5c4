using System.Text.Json.Nodes;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Metrics;

namespace TrainKit.Training.Tests.Loop;

/// <summary>The trainer with <c>ema</c>: evaluated as its own splits, invisible to the training trajectory, checkpointed
/// and resumed exactly, exported as model_ema.bin.</summary>
public class TrainerEmaTests
{
    static RunConfig Config(EmaConfig? ema, long steps = 40) => new()
    {
        Steps = steps,
        LogEvery = 1,
        EvalEvery = 10,
        CheckpointEvery = 10,
        Seed = 3,
        Optimizer = new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = 0.05, Momentum = 0.9, Nesterov = true, WeightDecay = 1e-4 },
        Ema = ema,
    };

    static string RunDir() => Directory.CreateTempSubdirectory("trainkit-ema-").FullName;

    static TrainingSummary Train(RunConfig config, string run, long seed = 3, bool resume = false, Action<TrainingProgress>? onProgress = null, List<string>? warnings = null)
    {
        using var task = new SyntheticTask(seed);
        var trainer = new Trainer(config, task, (o, t) => new LinearDecay(o, t), run) { OnProgress = onProgress };
        if (warnings is not null) trainer.OnWarning = warnings.Add;
        return trainer.Run(resume);
    }

    static string?[] Column(string run, string column) => [.. MetricsLog.Read(run).Select(r => r[column]?.ToJsonString())];

    [Fact]
    public void The_average_is_evaluated_as_its_own_split_without_changing_the_training_trajectory()
    {
        string plain = RunDir(), averaged = RunDir();
        var off = Train(Config(null), plain);
        var on = Train(Config(new EmaConfig { Decay = 0.9 }), averaged);

        // Same losses row for row, and the training weights evaluate the same: swapping the average in and out
        // disturbed neither weights, optimizer, RNG nor BN mode.
        foreach (string column in new[] { "train_loss", "grad_norm", "weight_norm", "test_eval_loss", "test_accuracy", "train_eval_loss" })
            Assert.Equal(Column(plain, column), Column(averaged, column));
        Assert.Equal(off.Test, on.Test);
        Assert.Equal(File.ReadAllBytes(Path.Combine(plain, "model.bin")), File.ReadAllBytes(Path.Combine(averaged, "model.bin")));

        var rows = MetricsLog.Read(averaged);
        Assert.Equal([10L, 20, 30, 40], rows.Where(r => r["ema_test_eval_loss"] is not null).Select(r => r["step"]!.GetValue<long>()));
        Assert.All(rows.Where(r => r["ema_test_eval_loss"] is not null), r => Assert.NotNull(r["ema_test_accuracy"]));
        Assert.DoesNotContain(rows, r => r.ContainsKey("ema_train_eval_loss") || r.ContainsKey("ema_validation_eval_loss"));
        Assert.DoesNotContain(MetricsLog.Read(plain), r => r.ContainsKey("ema_test_eval_loss"));
        Assert.Contains("ema_test_eval_loss", File.ReadLines(Path.Combine(averaged, MetricsLog.CsvFile)).First());
        // An average lags the weights: on a run whose loss is still falling it evaluates differently.
        Assert.NotEqual(rows[^1]["test_eval_loss"]!.GetValue<double>(), rows[^1]["ema_test_eval_loss"]!.GetValue<double>());

        // summary.json and model_ema.bin hold the final average; loading it into the model evaluates to the summary's.
        Assert.Null(off.EmaTest);
        Assert.DoesNotContain("ema_test", File.ReadAllText(Path.Combine(plain, "summary.json")));
        Assert.False(File.Exists(Path.Combine(plain, Trainer.EmaModelFile)));
        Assert.Equal(rows[^1]["ema_test_eval_loss"]!.GetValue<double>(), on.EmaTest!.Loss);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(averaged, "summary.json")))!;
        Assert.Equal(on.EmaTest.Loss, summary["ema_test"]!["loss"]!.GetValue<double>());
        using var task = new SyntheticTask(seed: 3);
        task.Model.load(Path.Combine(averaged, Trainer.EmaModelFile));
        Assert.Equal(on.EmaTest, task.Evaluate("test"));
    }

    [Fact]
    public void A_zero_decay_average_is_the_weights_themselves_and_a_validation_split_gets_its_own_columns()
    {
        string run = RunDir();
        var config = Config(new EmaConfig { Decay = 0 }, steps: 20) with { Data = new DataConfig { ValidationFraction = 0.1 } };
        var summary = Train(config, run);
        var rows = MetricsLog.Read(run).Where(r => r["ema_test_eval_loss"] is not null).ToList();
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
            foreach (string split in new[] { "test", "validation" })
            {
                Assert.Equal(row[$"{split}_eval_loss"]!.GetValue<double>(), row[$"ema_{split}_eval_loss"]!.GetValue<double>());
                Assert.Equal(row[$"{split}_accuracy"]!.GetValue<double>(), row[$"ema_{split}_accuracy"]!.GetValue<double>());
            }
        Assert.Equal(summary.Test, summary.EmaTest);
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "model.bin")), File.ReadAllBytes(Path.Combine(run, Trainer.EmaModelFile)));
    }

    [Fact]
    [Trait("Category", "Slow")] // three runs of 40 steps: 3-6 s on a loaded 2-core machine
    public void A_resumed_run_reports_the_same_average_as_an_uninterrupted_one()
    {
        var config = Config(new EmaConfig { Decay = 0.9, Warmup = true });
        string straight = RunDir(), interrupted = RunDir();
        var expected = Train(config, straight);
        Assert.Throws<IOException>(() => Train(config, interrupted, onProgress: p => { if (p.Step == 25) throw new IOException("simulated crash"); }));
        Assert.True(new CheckpointStore(interrupted).Latest()!.Has("ema"));
        var resumed = Train(config, interrupted, resume: true); // a fresh process: new model, optimizer and average

        foreach (string column in new[] { "train_loss", "ema_test_eval_loss", "ema_test_accuracy" })
            Assert.Equal(Column(straight, column), Column(interrupted, column));
        Assert.Equal(4, Column(interrupted, "ema_test_eval_loss").Count(v => v is not null));
        Assert.Equal(expected.EmaTest, resumed.EmaTest);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, Trainer.EmaModelFile)), File.ReadAllBytes(Path.Combine(interrupted, Trainer.EmaModelFile)));
    }

    [Fact]
    public void A_checkpoint_without_an_average_resumed_with_ema_on_starts_it_at_the_checkpoint_weights_and_warns()
    {
        string run = RunDir(), fromStart = RunDir();
        var ema = new EmaConfig { Decay = 0 };
        Assert.Throws<IOException>(() => Train(Config(null), run, onProgress: p => { if (p.Step == 25) throw new IOException("simulated crash"); }));
        Assert.False(new CheckpointStore(run).Latest()!.Has("ema"));

        // ema may change on resume (it watches the trajectory, it does not change it).
        var warnings = new List<string>();
        var summary = Train(Config(ema), run, resume: true, warnings: warnings);
        string warning = Assert.Single(warnings);
        Assert.Contains("has no moving average of the weights", warning);
        Assert.Contains("step-20", warning);
        Train(Config(ema), fromStart);
        Assert.Equal(Column(fromStart, "train_loss"), Column(run, "train_loss"));
        var rows = MetricsLog.Read(run).Where(r => r["ema_test_eval_loss"] is not null).Select(r => r["step"]!.GetValue<long>());
        Assert.Equal([30L, 40], rows);
        Assert.NotNull(summary.EmaTest);
    }

    [Fact]
    public void The_average_reads_nothing_from_the_device_between_logging_points()
    {
        // As TrainerTests.The_loop_reads_the_device_once_per_logging_interval: rows every 10 steps, checkpoints every
        // 20, no evaluation: 4 reads in 40 steps, with the average updated after every one of them.
        string run = RunDir();
        using var task = new SyntheticTask(seed: 2);
        var config = Config(new EmaConfig { Decay = 0.9, Warmup = true }) with { LogEvery = 10, CheckpointEvery = 20, EvalEvery = 0 };
        var trainer = new Trainer(config, task, (o, t) => new LinearDecay(o, t), run);
        trainer.Run();
        Assert.Equal(4, trainer.HostReads);
        Assert.True(new CheckpointStore(run).Latest()!.Has("ema"));
    }

    [Fact]
    public void A_fork_continues_its_parents_average()
    {
        // A fork that keeps the parent's schedule is the parent's run: its average after the fork step must be the
        // parent's, which it can only be if it starts from the parent checkpoint's ema part.
        var config = Config(new EmaConfig { Decay = 0.9 }) with { KeepCheckpoints = 0 };
        string parent = RunDir(), fork = Path.Combine(RunDir(), "fork");
        Train(config, parent);
        ForkOrigin origin;
        using (var start = ForkStart.Open(parent, 20)) origin = start.Origin;
        var warnings = new List<string>();
        Train(config with { ForkedFrom = origin }, fork, warnings: warnings);
        Assert.Empty(warnings);
        Assert.Equal(Column(parent, "ema_test_eval_loss"), Column(fork, "ema_test_eval_loss"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(parent, Trainer.EmaModelFile)), File.ReadAllBytes(Path.Combine(fork, Trainer.EmaModelFile)));
    }
}
