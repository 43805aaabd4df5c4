using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Schedules;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Metrics;
using TrainKit.Training.Tests.Data;

namespace TrainKit.Training.Tests.Loop;

/// <summary>A fork (<see cref="RunConfig.ForkedFrom"/>) starts from its parent's checkpoint as --resume would: its
/// steps up to the fork are the parent's, bit for bit, and from there it follows its own schedule tail.</summary>
public class ForkStartTests : TempFolderTest
{
    const double Lr = 0.05;
    /// <summary>The WSD recipe: a constant lr after a 5-step warmup (the "stable" phase never ends) ...</summary>
    const string Constant = """{"kind": "WSD", "params": {"warmup_steps": 5, "stable_steps": 100000, "decay_steps": 0}}""";
    /// <summary>... forked at 20 into a 20-step 1−√ cooldown: the same warmup, stable until 20, then the decay.</summary>
    const string Cooldown = """{"kind": "WSD", "params": {"warmup_steps": 5, "stable_steps": 15, "decay_steps": 20, "decay_type": "1-sqrt"}}""";

    static RunConfig Parent(int? keepCheckpoints = 0) => new()
    {
        Steps = 40,
        LogEvery = 1,
        EvalEvery = 0,
        CheckpointEvery = 10,
        KeepCheckpoints = keepCheckpoints,
        Seed = 3,
        Optimizer = new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = Lr, Momentum = 0.9, Nesterov = true, WeightDecay = 1e-4 },
        Schedule = ScheduleSpec.FromJson(Constant),
    };

    string TrainParent(RunConfig? config = null)
    {
        string run = TempFolder("trainkit-fork-parent-");
        Train(config ?? Parent(), run);
        return run;
    }

    static TrainingSummary Train(RunConfig config, string run, bool resume = false, Action<TrainingProgress>? onProgress = null, List<string>? warnings = null)
    {
        using var task = new SyntheticTask(seed: 3);
        var trainer = Trainer.ForRun(config, task, run);
        trainer.OnProgress = onProgress;
        trainer.OnWarning = warnings is null ? null : warnings.Add;
        return trainer.Run(resume);
    }

    /// <summary>The parent's configuration with <paramref name="tail"/> on top, forked at <paramref name="step"/>.</summary>
    static RunConfig ForkOf(string parent, long step, RunConfig parentConfig, Func<RunConfig, RunConfig>? tail = null)
    {
        ForkOrigin origin;
        using (var start = ForkStart.Open(parent, step)) origin = start.Origin;
        return (tail ?? (c => c))(parentConfig) with { ForkedFrom = origin };
    }

    /// <summary>Every metrics row without its wall-clock column (examples_per_second differs between any two runs).</summary>
    static List<string> Rows(string run) =>
        [.. MetricsLog.Read(run).Select(r => { r.Remove("examples_per_second"); return r.ToJsonString(); })];

    static Dictionary<string, string> FileHashes(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void A_fork_with_the_parents_schedule_reproduces_the_parent_bit_for_bit_and_leaves_the_parent_untouched()
    {
        string parent = TrainParent();
        var before = FileHashes(parent);
        string fork = TempFolder("trainkit-fork-");
        TrainingSummary summary = Train(ForkOf(parent, 20, Parent()), fork);

        Assert.Equal(Rows(parent), Rows(fork)); // steps 1..40: the copied 1..20 and the trained 21..40
        Assert.Equal(40, Rows(fork).Count);
        // The first 20 lines are the parent's own lines, wall-clock column included.
        Assert.Equal(File.ReadLines(Path.Combine(parent, MetricsLog.JsonFile)).Take(20), File.ReadLines(Path.Combine(fork, MetricsLog.JsonFile)).Take(20));
        Assert.Equal(JsonNode.Parse(File.ReadAllText(Path.Combine(parent, "summary.json")))!["test"]!.ToJsonString(), JsonNode.Parse(File.ReadAllText(Path.Combine(fork, "summary.json")))!["test"]!.ToJsonString());
        Assert.Equal(40, summary.Steps);

        RunConfig written = RunConfigJson.Load(Path.Combine(fork, "config.json"));
        Assert.Equal(Path.GetFullPath(parent), written.ForkedFrom!.Run);
        Assert.Equal(20, written.ForkedFrom.Step);
        Assert.Equal(new CheckpointStore(parent).At(20)!.State["config_sha256"]!.GetValue<string>(), written.ForkedFrom.ParentConfigSha256);
        Assert.Equal(before, FileHashes(parent)); // the parent is only read
    }

    [Fact]
    public void A_fork_with_a_cooldown_tail_follows_the_tail_from_the_fork_step_and_shares_the_prefix()
    {
        string parent = TrainParent();
        var before = FileHashes(parent);
        string fork = TempFolder("trainkit-fork-");
        var warnings = new List<string>();
        Train(ForkOf(parent, 20, Parent(), c => c with { Schedule = ScheduleSpec.FromJson(Cooldown) }), fork, warnings: warnings);

        var parentRows = MetricsLog.Read(parent);
        var forkRows = MetricsLog.Read(fork);
        Assert.Equal(40, forkRows.Count);
        Assert.Equal(Rows(parent).Take(20), Rows(fork).Take(20));
        // Row s logs the lr of step s, the schedule at t = s − 1: from the fork on, the tail's 1−√ decay.
        var tail = new WsdSchedule(Lr, 5, 15, 20, decayType: WsdShape.OneMinusSqrt);
        for (int s = 21; s <= 40; s++)
            Assert.Equal(tail.At(s - 1), forkRows[s - 1]["lr"]!.GetValue<double>());
        Assert.All(parentRows.Skip(20), r => Assert.Equal(Lr, r["lr"]!.GetValue<double>()));
        // The tail starts from the parent's lr (no jump, no warning): the two steps after the fork still see the
        // parent's updates, later ones the smaller cooldown lrs.
        Assert.Empty(warnings);
        for (int s = 21; s <= 22; s++) Assert.Equal(parentRows[s - 1]["train_loss"]!.ToJsonString(), forkRows[s - 1]["train_loss"]!.ToJsonString());
        Assert.NotEqual(parentRows[39]["train_loss"]!.ToJsonString(), forkRows[39]["train_loss"]!.ToJsonString());
        Assert.Equal(before, FileHashes(parent));
    }

    [Fact]
    public void A_tail_that_does_not_start_at_the_parents_lr_is_run_with_a_warning_naming_both_lrs()
    {
        string parent = TrainParent();
        var warnings = new List<string>();
        const string early = """{"kind": "WSD", "params": {"warmup_steps": 5, "stable_steps": 5, "decay_steps": 30}}""";
        Train(ForkOf(parent, 20, Parent(), c => c with { Schedule = ScheduleSpec.FromJson(early), Steps = 22 }), TempFolder("trainkit-fork-"), warnings: warnings);
        string warning = Assert.Single(warnings);
        Assert.Contains("jump", warning);
        Assert.Contains("0.05", warning); // the parent's lr
    }

    [Fact]
    public void The_documented_WSD_recipe_forks_a_constant_run_at_800_into_a_200_step_one_minus_sqrt_cooldown()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "examples", "fork");
        RunConfig parent = RunConfigJson.Load(Path.Combine(folder, "constant.json"));
        RunConfig fork = RunConfigValidator.Validate(RunConfigOverrides.Overlay(parent, Path.Combine(folder, "cooldown-800.json")));
        Assert.Empty(ConfigFingerprint.ChangedKeysRefusedByFork(ConfigFingerprint.Relevant(parent), fork));
        Assert.Equal(0, parent.CheckpointsKept);
        Assert.Equal(0, 800 % parent.CheckpointEvery); // the parent keeps a checkpoint of step 800

        double lr = parent.Optimizer.Lr;
        ISchedule before = ScheduleFactory.CreateSchedule(ScheduleBinding.Complete(parent.Schedule, 1000, 1), lr);
        ISchedule after = ScheduleFactory.CreateSchedule(ScheduleBinding.Complete(fork.Schedule, 1000, 1), lr);
        for (int t = 0; t <= 800; t++) Assert.Equal(before.At(t), after.At(t)); // so the cooldown starts from the parent's lr
        Assert.Equal(lr, after.At(800));
        Assert.Equal(lr * (1 - Math.Sqrt(0.5)), after.At(900), 15);
        Assert.Equal(0, after.At(1000));
        Assert.Equal(lr, before.At(1000));
        Assert.Equal(1000, fork.Steps);
    }

    [Theory]
    [InlineData(25)] // before the fork's first checkpoint: the resume starts from the parent's checkpoint again
    [InlineData(35)] // after it: the fork's own checkpoint of step 30, written by the tail's scheduler
    public void A_resumed_fork_equals_an_uninterrupted_one(int crashAt)
    {
        string parent = TrainParent();
        RunConfig config = ForkOf(parent, 20, Parent(), c => c with { Schedule = ScheduleSpec.FromJson(Cooldown) });
        string straight = TempFolder("trainkit-fork-"), interrupted = TempFolder("trainkit-fork-");
        Train(config, straight);
        Assert.Throws<IOException>(() => Train(config, interrupted, onProgress: p => { if (p.Step == crashAt) throw new IOException("simulated crash"); }));
        Train(RunConfigJson.Load(Path.Combine(interrupted, "config.json")), interrupted, resume: true);
        Assert.Equal(Rows(straight), Rows(interrupted));
    }

    [Fact]
    public void A_step_without_a_checkpoint_is_refused_listing_the_kept_steps()
    {
        string parent = TrainParent();
        Assert.Equal([10L, 20, 30, 40], new CheckpointStore(parent).Steps()); // keep_checkpoints: 0 keeps every one
        var ex = Assert.Throws<ArgumentException>(() => ForkStart.Open(parent, 15));
        Assert.Contains("no checkpoint of step 15", ex.Message);
        Assert.Contains("10, 20, 30, 40", ex.Message);

        string pruned = TrainParent(Parent(keepCheckpoints: null)); // the default: the newest 2
        Assert.Equal([30L, 40], new CheckpointStore(pruned).Steps());
        ex = Assert.Throws<ArgumentException>(() => ForkStart.Open(pruned, 20));
        Assert.Contains("30, 40", ex.Message);
        Assert.Contains("keep_checkpoints: 0", ex.Message);
    }

    [Fact]
    public void Changing_a_key_that_decides_the_prefix_is_refused_by_name_and_nothing_is_trained()
    {
        string parent = TrainParent();
        string fork = TempFolder("trainkit-fork-");
        var changed = ForkOf(parent, 20, Parent(), c => c with { Seed = 4, Model = ((TrainKit.Training.Config.ImageModelConfig)c.Model) with { Width = 0.5 }, Optimizer = c.Optimizer with { Lr = 0.1 } });
        var ex = Assert.Throws<ArgumentException>(() => Train(changed, fork));
        Assert.Contains("model.width (1 → 0.5)", ex.Message);
        Assert.Contains("optimizer.lr (0.05 → 0.1)", ex.Message);
        Assert.Contains("seed (3 → 4)", ex.Message);
        Assert.Contains("a fork may change", ex.Message);
        Assert.False(File.Exists(Path.Combine(fork, MetricsLog.JsonFile)));

        // The keys a fork may change are accepted together.
        var allowed = ForkOf(parent, 20, Parent(), c => c with { Schedule = ScheduleSpec.FromJson(Cooldown), Steps = 30, LogEvery = 2, CheckpointEvery = 5, KeepCheckpoints = 1 });
        Train(allowed, TempFolder("trainkit-fork-"));
    }

    [Fact]
    public void A_fork_into_a_non_empty_folder_the_parent_itself_or_one_shorter_than_its_step_is_refused()
    {
        string parent = TrainParent();
        string busy = TempFolder("trainkit-fork-");
        File.WriteAllText(Path.Combine(busy, "notes.txt"), "mine");
        Assert.Contains("not empty (notes.txt)", Assert.Throws<ArgumentException>(() => Train(ForkOf(parent, 20, Parent()), busy)).Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(busy, "notes.txt")));

        using (var start = ForkStart.Open(parent, 20))
        {
            Assert.Contains("inside it", Assert.Throws<ArgumentException>(() => start.CheckTarget(Path.Combine(parent, "fork"), fresh: true)).Message);
            Assert.Contains("inside it", Assert.Throws<ArgumentException>(() => start.CheckTarget(parent, fresh: true)).Message);
            Assert.Contains("inside it", Assert.Throws<ArgumentException>(() => start.CheckTarget(parent + "/", fresh: true)).Message);
        }
        var shorter = ForkOf(parent, 20, Parent(), c => c with { Steps = 10 });
        Assert.Contains("fewer than the step 20", Assert.Throws<ArgumentException>(() => Train(shorter, TempFolder("trainkit-fork-"))).Message);
    }

    [Fact]
    public void A_parent_still_being_trained_is_refused_and_a_fork_reading_it_keeps_a_writer_out()
    {
        string parent = TrainParent();
        using (RunFolderLock.Acquire(parent))
        {
            var ex = Assert.Throws<ArgumentException>(() => ForkStart.Open(parent, 20));
            Assert.Contains("being written by another process", ex.Message);
            Assert.Contains($"PID {Environment.ProcessId}", ex.Message);
        }
        using (ForkStart.Open(parent, 20))
            Assert.Throws<ArgumentException>(() => RunFolderLock.Acquire(parent).Dispose());
        RunFolderLock.Acquire(parent).Dispose(); // released with the fork start
    }
}
