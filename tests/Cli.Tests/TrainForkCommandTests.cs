using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TrainKit.Schedulers.Schedules;
using TrainKit.Training.Config;

namespace TrainKit.Cli.Tests;

/// <summary><c>trainkit train --from RUN_DIR --at STEP [--config tail.json] --out NEW_DIR</c>: the WSD recipe on a
/// tiny ResNet, and the refusals (exit 2) that leave the parent untouched.</summary>
public sealed class TrainForkCommandTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("trainkit-cli-fork-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    /// <summary>A constant lr after a 2-step warmup (WSD whose stable phase outlasts the run), every checkpoint kept.</summary>
    const string ConstantParent = """
        {"model": {"name": "resnet20", "width": 0.25}, "batch_size": 32, "log_every": 1, "eval_every": 0, "keep_checkpoints": 0,
         "data": {"eval_examples": 200}, "optimizer": {"lr": 0.1},
         "schedule": {"kind": "WSD", "params": {"warmup_steps": 2, "stable_steps": 100000, "decay_steps": 0}}}
        """;

    /// <summary>The tail: the same warmup, stable until step 3, then a 3-step 1−√ cooldown to the end of a 6-step run.</summary>
    const string CooldownTail = """
        {"steps": 6, "schedule": {"kind": "WSD", "params": {"warmup_steps": 2, "stable_steps": 1, "decay_steps": 3, "decay_type": "1-sqrt"}}}
        """;

    string Write(string name, string text)
    {
        string path = Path.Combine(_root, name);
        File.WriteAllText(path, text);
        return path;
    }

    static Dictionary<string, string> FileHashes(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    static List<JsonNode> Rows(string run) => [.. File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!)];

    [Trait("Category", "Slow")]
    [Fact]
    public void A_constant_run_forked_into_a_cooldown_keeps_the_parents_prefix_follows_the_tail_and_resumes()
    {
        string parent = Path.Combine(_root, "parent");
        var (code, _, error) = CliHarness.Run("train", "--config", Write("parent.json", ConstantParent), "--steps", "6", "--checkpoint-every", "3", "--seed", "4", "--out", parent);
        Assert.True(code == 0, error);
        var before = FileHashes(parent);

        string fork = Path.Combine(_root, "fork");
        string tail = Write("tail.json", CooldownTail);
        var (forked, output, forkError) = CliHarness.Run("train", "--from", parent, "--at", "3", "--config", tail, "--out", fork);
        Assert.True(forked == 0, forkError);
        Assert.Contains("done: 6 steps", output);

        string[] parentLines = File.ReadAllLines(Path.Combine(parent, "metrics.jsonl")), forkLines = File.ReadAllLines(Path.Combine(fork, "metrics.jsonl"));
        Assert.Equal(6, forkLines.Length);
        Assert.Equal(parentLines.Take(3), forkLines.Take(3)); // the parent's rows, copied
        var rows = Rows(fork);
        var cooldown = new WsdSchedule(0.1, 2, 1, 3, decayType: WsdShape.OneMinusSqrt);
        for (int s = 4; s <= 6; s++) Assert.Equal(cooldown.At(s - 1), rows[s - 1]["lr"]!.GetValue<double>());
        Assert.Equal(rows[3]["train_loss"]!.ToJsonString(), Rows(parent)[3]["train_loss"]!.ToJsonString()); // step 4's loss: the parent's weights at 3
        RunConfig config = RunConfigJson.Load(Path.Combine(fork, "config.json"));
        Assert.Equal(Path.GetFullPath(parent), config.ForkedFrom!.Run);
        Assert.Equal(3, config.ForkedFrom.Step);
        Assert.Equal(4, config.Seed); // the parent's keys, the tail's schedule
        Assert.Equal("WSD", config.Schedule.Kind);
        Assert.Equal(1, config.Schedule.Params["stable_steps"]!.GetValue<double>());

        // Refusals, each exit 2 before anything is trained.
        var (missing, _, missingError) = CliHarness.Run("train", "--from", parent, "--at", "2", "--config", tail, "--out", Path.Combine(_root, "f2"));
        Assert.Equal(ExitCodes.BadInput, missing);
        Assert.Contains("no checkpoint of step 2", missingError);
        Assert.Contains("steps 3, 6", missingError);
        var (model, _, modelError) = CliHarness.Run("train", "--from", parent, "--at", "3", "--set", "model.width=0.5", "--out", Path.Combine(_root, "f3"));
        Assert.Equal(ExitCodes.BadInput, model);
        Assert.Contains("cannot change model.width (0.25 → 0.5)", modelError);
        var (busy, _, busyError) = CliHarness.Run("train", "--from", parent, "--at", "3", "--config", tail, "--out", fork);
        Assert.Equal(ExitCodes.BadInput, busy);
        Assert.Contains("not empty", busyError);
        Assert.False(Directory.Exists(Path.Combine(_root, "f2")) && Directory.EnumerateFileSystemEntries(Path.Combine(_root, "f2")).Any());
        Assert.Equal(before, FileHashes(parent)); // the parent is never written

        // --resume on a fork works like on any run: two more steps from its own last checkpoint.
        var (resumed, resumedOutput, resumeError) = CliHarness.Run("train", "--resume", fork, "--steps", "8");
        Assert.True(resumed == 0, resumeError);
        Assert.Contains("done: 8 steps", resumedOutput);
        Assert.Equal(forkLines, File.ReadAllLines(Path.Combine(fork, "metrics.jsonl")).Take(6));
        Assert.Equal(8, Rows(fork).Count);
    }

    [Fact]
    public void Fork_flags_that_do_not_fit_together_exit_2_naming_them()
    {
        var (code, _, error) = CliHarness.Run("train", "--at", "3", "--out", Path.Combine(_root, "x"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--at needs --from", error);
        (code, _, error) = CliHarness.Run("train", "--from", Path.Combine(_root, "nowhere"), "--at", "3", "--out", Path.Combine(_root, "x"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("not a run folder", error);
        (code, _, error) = CliHarness.Run("train", "--from", _root, "--resume", _root);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--from starts a new fork and --resume continues a run", error);
        Assert.False(Directory.Exists(Path.Combine(_root, "x")));
    }

    [Fact]
    public void Train_help_describes_forking()
    {
        var (code, output, _) = CliHarness.Run("train", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--from", output);
        Assert.Contains("--at", output);
        Assert.Contains("new schedule tail", output);
    }
}
