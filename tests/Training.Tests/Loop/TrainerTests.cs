using System.Text.Json.Nodes;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;
using TrainKit.Training.Metrics;
using TrainKit.Training.Loop;

namespace TrainKit.Training.Tests.Loop;

public class TrainerTests
{
    static RunConfig Config(long steps = 40) => new()
    {
        Steps = steps,
        LogEvery = 1,
        EvalEvery = 0,
        CheckpointEvery = 10,
        Seed = 3,
        Optimizer = new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = 0.05, Momentum = 0.9, Nesterov = true, WeightDecay = 1e-4 },
    };

    static string RunDir() => Directory.CreateTempSubdirectory("trainkit-run-").FullName;

    static double[] Losses(string run) => MetricsLog.Read(run).Select(r => r["train_loss"]!.GetValue<double>()).ToArray();

    [Fact]
    public void A_resumed_run_reproduces_every_later_loss_bit_for_bit()
    {
        string straight = RunDir();
        using (var task = new SyntheticTask(seed: 3))
            new Trainer(Config(), task, (o, t) => new LinearDecay(o, t), straight).Run();

        string interrupted = RunDir();
        using (var task = new SyntheticTask(seed: 3))
        {
            var crashing = new Trainer(Config(), task, (o, t) => new LinearDecay(o, t), interrupted)
            {
                OnProgress = p => { if (p.Step == 25) throw new IOException("simulated crash"); },
            };
            Assert.Throws<IOException>(() => { crashing.Run(); });
        }
        Assert.Equal(25, Losses(interrupted).Length);
        using (var task = new SyntheticTask(seed: 3)) // a fresh process: new model, optimizer and scheduler
            new Trainer(Config(), task, (o, t) => new LinearDecay(o, t), interrupted).Run(resume: true);

        double[] expected = Losses(straight), actual = Losses(interrupted);
        Assert.Equal(40, expected.Length);
        Assert.Equal(expected, actual); // exact equality, including the steps replayed after the checkpoint
        Assert.True(File.Exists(Path.Combine(interrupted, "model.bin")));
        Assert.True(File.Exists(Path.Combine(interrupted, "summary.json")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(interrupted, "tensorboard"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void The_loss_goes_down_and_the_scheduler_is_stepped_once_per_optimizer_step()
    {
        string run = RunDir();
        using var task = new SyntheticTask(seed: 1);
        var summary = new Trainer(Config(200) with { EvalEvery = 100 }, task, (o, t) => new LinearDecay(o, t), run).Run();
        var rows = MetricsLog.Read(run);
        Assert.Equal(200, rows.Count);
        Assert.Equal(0.05, rows[0]["lr"]!.GetValue<double>(), 12);
        Assert.Equal(0.05 * (1 - 199.0 / 200), rows[199]["lr"]!.GetValue<double>(), 12);
        Assert.True(summary.Test.Loss < 0.5 * rows[0]["train_loss"]!.GetValue<double>());
        Assert.NotNull(rows[99]["test_eval_loss"]);
    }

    [Fact]
    public void A_nan_loss_stops_with_the_step_and_keeps_the_last_checkpoint()
    {
        string run = RunDir();
        long calls = 0;
        using var task = new SyntheticTask(seed: 2) { LossOverride = _ => ++calls > 15 ? double.NaN : 1.0 };
        var ex = Assert.Throws<DivergenceException>(() => new Trainer(Config(), task, (o, t) => new LinearDecay(o, t), run).Run());
        Assert.Equal(16, ex.Step);
        Assert.Contains("diverged at step 16", ex.Message);
        Assert.Contains("step-000000010", ex.Message);
        Assert.True(Directory.Exists(ex.LastCheckpoint));
    }

    [Fact]
    public void The_checkpoint_whose_weights_gave_the_diverged_loss_is_not_called_good()
    {
        // Checkpoint step-10 holds the weights of the 11th forward pass; that pass diverges, so no earlier checkpoint is good.
        string run = RunDir();
        long calls = 0;
        using var task = new SyntheticTask(seed: 2) { LossOverride = _ => ++calls > 10 ? double.NaN : 1.0 };
        var ex = Assert.Throws<DivergenceException>(() => new Trainer(Config(), task, (o, t) => new LinearDecay(o, t), run).Run());
        Assert.Equal(11, ex.Step);
        Assert.Contains("no checkpoint before it is kept", ex.Message);
        Assert.Null(ex.LastCheckpoint);
        Assert.Equal(10, new CheckpointStore(run).Latest()!.Step); // kept on disk all the same
    }

    [Fact]
    public void The_loop_reads_the_device_once_per_logging_interval()
    {
        // Rows every 10 steps, checkpoints every 20, no evaluation or probes: 4 read points in 40 steps.
        string run = RunDir();
        using var task = new SyntheticTask(seed: 2);
        var trainer = new Trainer(Config() with { LogEvery = 10, CheckpointEvery = 20 }, task, (o, t) => new LinearDecay(o, t), run);
        trainer.Run();
        Assert.Equal(4, trainer.HostReads);
        Assert.Equal([10L, 20, 30, 40], MetricsLog.Read(run).Select(r => r["step"]!.GetValue<long>()));
    }

    [Fact]
    public void A_nan_between_logging_points_is_found_at_the_next_one_naming_its_own_step_and_no_later_checkpoint_is_written()
    {
        string run = RunDir();
        long calls = 0;
        using var task = new SyntheticTask(seed: 2) { LossOverride = _ => ++calls == 16 ? double.NaN : 1.0 };
        var ex = Assert.Throws<DivergenceException>(() =>
            new Trainer(Config() with { LogEvery = 10, CheckpointEvery = 10 }, task, (o, t) => new LinearDecay(o, t), run).Run());
        Assert.Equal(16, ex.Step);
        Assert.Contains("step-000000010", ex.Message);
        Assert.Equal(10, new CheckpointStore(run).Latest()!.Step); // the read at step 20 found it before checkpoint 20
    }

    [Fact]
    public void Rollback_reloads_the_checkpoint_and_lowers_the_lr()
    {
        string run = RunDir();
        long calls = 0;
        // The 16th forward pass diverges once; after the rollback to step 10 training completes.
        using var task = new SyntheticTask(seed: 2) { LossOverride = _ => ++calls == 16 ? double.PositiveInfinity : 1.0 };
        var config = Config() with { Divergence = new DivergenceConfig { OnDivergence = DivergenceAction.Rollback, LrFactor = 0.5 } };
        new Trainer(config, task, (o, t) => new LinearDecay(o, t), run).Run();
        var rows = MetricsLog.Read(run);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), rows.Select(r => r["step"]!.GetValue<long>()));
        Assert.Equal(0.05 * 0.5 * (1 - 10.0 / 40), rows[10]["lr"]!.GetValue<double>(), 12);
    }

    [Fact]
    public void A_rolled_back_run_that_ends_above_its_first_loss_fails_and_keeps_its_checkpoints()
    {
        string run = RunDir();
        long calls = 0;
        // Diverges once at the 16th forward pass; after the rollback the loss stays at 3x where it started.
        using var task = new SyntheticTask(seed: 2) { LossOverride = _ => ++calls switch { < 16 => 1.0, 16 => double.PositiveInfinity, _ => 3.0 } };
        var config = Config() with { Divergence = new DivergenceConfig { OnDivergence = DivergenceAction.Rollback, LrFactor = 0.5 } };
        var ex = Assert.Throws<DivergenceException>(() => new Trainer(config, task, (o, t) => new LinearDecay(o, t), run).Run());
        Assert.Contains("did not recover after 1 rollback(s): the last loss 3 is above the first loss 1", ex.Message);
        Assert.True(Directory.Exists(ex.LastCheckpoint));
        Assert.False(File.Exists(Path.Combine(run, "summary.json")));
        Assert.Equal(40, MetricsLog.Read(run).Count);
    }

    [Fact]
    public void Probes_log_lambda_max_and_the_gradient_cosine_without_changing_the_losses()
    {
        string plain = RunDir(), probed = RunDir();
        using (var task = new SyntheticTask(seed: 4))
            new Trainer(Config(20), task, (o, t) => new LinearDecay(o, t), plain).Run();
        using (var task = new SyntheticTask(seed: 4))
            new Trainer(Config(20) with { ProbeEvery = 5, ProbeExamples = 64 }, task, (o, t) => new LinearDecay(o, t), probed).Run();
        Assert.Equal(Losses(plain), Losses(probed));
        var rows = MetricsLog.Read(probed).Where(r => r["lambda_max"] is not null).ToList();
        Assert.Equal([5L, 10, 15, 20], rows.Select(r => r["step"]!.GetValue<long>()));
        Assert.All(rows, r =>
        {
            Assert.True(r["lambda_max"]!.GetValue<double>() > 0);
            Assert.InRange(r["grad_cosine"]!.GetValue<double>(), -1, 1);
        });
    }

    [Fact]
    public void A_resumed_run_reports_the_same_probe_metrics_as_an_uninterrupted_one()
    {
        // Probes every 5 steps, checkpoints every 10, a crash at step 25: the probe at 30 must warm-start from the
        // vector of the probe at 20 (restored from checkpoint 20), with the probe generator and gradient cosine state
        // of that step, exactly as the run that never stopped.
        var config = Config() with { ProbeEvery = 5, ProbeExamples = 64 };
        string straight = RunDir(), interrupted = RunDir();
        using (var task = new SyntheticTask(seed: 5)) new Trainer(config, task, (o, t) => new LinearDecay(o, t), straight).Run();
        using (var task = new SyntheticTask(seed: 5))
        {
            var crashing = new Trainer(config, task, (o, t) => new LinearDecay(o, t), interrupted)
            {
                OnProgress = p => { if (p.Step == 25) throw new IOException("simulated crash"); },
            };
            Assert.Throws<IOException>(() => { crashing.Run(); });
        }
        using (var task = new SyntheticTask(seed: 5)) new Trainer(config, task, (o, t) => new LinearDecay(o, t), interrupted).Run(resume: true);

        string[] columns = ["lambda_max", "lambda_max_cold_check", "probe_loss", "probe_hvps", "grad_cosine", "grad_cosine_mean", "train_loss"];
        var expected = MetricsLog.Read(straight);
        var actual = MetricsLog.Read(interrupted);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(8, expected.Count(r => r["lambda_max"] is not null));
        for (int i = 0; i < expected.Count; i++)
            foreach (string column in columns)
                Assert.True(expected[i][column]?.ToJsonString() == actual[i][column]?.ToJsonString(),
                    $"step {i + 1}, {column}: {expected[i][column]?.ToJsonString()} vs {actual[i][column]?.ToJsonString()} after resume");
    }

    [Fact]
    public void Evaluation_runs_on_its_own_period_even_between_log_steps()
    {
        string run = RunDir();
        using var task = new SyntheticTask(seed: 6);
        new Trainer(Config(30) with { LogEvery = 10, EvalEvery = 7 }, task, (o, t) => new LinearDecay(o, t), run).Run();
        var rows = MetricsLog.Read(run);
        Assert.Equal([7L, 10, 14, 20, 21, 28, 30], rows.Select(r => r["step"]!.GetValue<long>()));
        Assert.Equal([7L, 14, 21, 28, 30], rows.Where(r => r["test_eval_loss"] is not null).Select(r => r["step"]!.GetValue<long>()));
    }

    [Fact]
    public void Snapshots_are_kept_at_the_chosen_epochs_and_hold_the_weights_of_that_step()
    {
        string run = RunDir();
        using var task = new SyntheticTask(seed: 7); // 16 steps per epoch
        new Trainer(Config(40) with { SnapshotEpochs = [0.5, 2.5] }, task, (o, t) => new LinearDecay(o, t), run).Run();
        var snapshots = ModelSnapshots.List(run);
        Assert.Equal([8L, 40], snapshots.Select(s => s.Step));
        // The last snapshot is the final model, byte for byte.
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "model.bin")), File.ReadAllBytes(snapshots[1].Path));
        Assert.NotEqual(File.ReadAllBytes(snapshots[0].Path), File.ReadAllBytes(snapshots[1].Path));
    }

    [Fact]
    public void A_snapshot_epoch_past_the_end_of_the_run_is_rejected_before_training()
    {
        string run = RunDir();
        using var task = new SyntheticTask(seed: 7);
        var ex = Assert.Throws<ArgumentException>(() => new Trainer(Config(40) with { SnapshotEpochs = [3] }, task, (o, t) => new LinearDecay(o, t), run).Run());
        Assert.Contains("snapshot_epochs: epoch 3 is step 48", ex.Message);
        Assert.False(File.Exists(Path.Combine(run, "metrics.jsonl")));
    }

    [Fact]
    public void A_run_killed_after_its_final_checkpoint_resumes_to_the_same_summary()
    {
        string run = RunDir();
        TrainingSummary finished;
        using (var task = new SyntheticTask(seed: 8))
            finished = new Trainer(Config(20), task, (o, t) => new LinearDecay(o, t), run).Run();
        // Killed between the final checkpoint and the final files.
        File.Delete(Path.Combine(run, "summary.json"));
        File.Delete(Path.Combine(run, "model.bin"));

        TrainingSummary resumed;
        using (var task = new SyntheticTask(seed: 8))
            resumed = new Trainer(Config(20), task, (o, t) => new LinearDecay(o, t), run).Run(resume: true);
        Assert.Equal(finished.TrainLoss, resumed.TrainLoss);
        Assert.Equal(finished.Test.Loss, resumed.Test.Loss);
        Assert.True(File.Exists(Path.Combine(run, "summary.json")));
        Assert.Equal(20, Losses(run).Length);
    }
}

public class TrainerFinalEvaluationTests
{
    [Fact]
    public void The_final_evaluation_runs_once_and_the_summary_reports_it()
    {
        string run = Directory.CreateTempSubdirectory("trainkit-final-").FullName;
        using var task = new SyntheticTask(seed: 6);
        var config = new RunConfig { Steps = 20, LogEvery = 10, EvalEvery = 10, CheckpointEvery = 0, Seed = 6 };
        var summary = new Trainer(config, task, (o, t) => new LinearDecay(o, t), run).Run();
        // Two evaluation points (steps 10 and 20), train and test each; the summary reuses step 20's (it used to evaluate again).
        Assert.Equal(["train", "test", "train", "test"], task.Evaluations);
        var last = MetricsLog.Read(run)[^1];
        Assert.Equal(20, last["step"]!.GetValue<double>());
        Assert.Equal(last["test_eval_loss"]!.GetValue<double>(), summary.Test.Loss);
        Assert.Equal(last["train_eval_loss"]!.GetValue<double>(), summary.Train.Loss);
    }

    [Fact]
    public void A_run_resumed_with_no_step_left_still_evaluates_for_its_summary()
    {
        string run = Directory.CreateTempSubdirectory("trainkit-final-").FullName;
        var config = new RunConfig { Steps = 10, LogEvery = 5, EvalEvery = 0, CheckpointEvery = 10, Seed = 6 };
        using (var task = new SyntheticTask(seed: 6)) new Trainer(config, task, (o, t) => new LinearDecay(o, t), run).Run();
        using var again = new SyntheticTask(seed: 6);
        var summary = new Trainer(config, again, (o, t) => new LinearDecay(o, t), run).Run(resume: true);
        Assert.Equal(["test", "train"], again.Evaluations);
        Assert.True(double.IsFinite(summary.Test.Loss));
    }
}
