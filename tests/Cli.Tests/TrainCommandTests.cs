using System.Diagnostics;
using System.Text.Json.Nodes;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;

namespace TrainKit.Cli.Tests;

public class TrainCommandTests
{
    static string TempDir() => Directory.CreateTempSubdirectory("trainkit-cli-").FullName;

    static string WriteConfig(string json)
    {
        string path = Path.Combine(TempDir(), "run.json");
        File.WriteAllText(path, json);
        return path;
    }

    const string Tiny = """
        {"model": {"name": "resnet20", "width": 0.25}, "batch_size": 32, "log_every": 1, "eval_every": 0,
         "data": {"eval_examples": 200}, "schedule": {"kind": "WarmupCosine", "params": {"warmup_steps": 2}}}
        """;

    [Fact]
    public void Print_config_prints_the_complete_default_configuration_as_valid_json()
    {
        var (code, output, _) = CliHarness.Run("train", "--print-config");
        Assert.Equal(0, code);
        RunConfig parsed = RunConfigJson.Parse(output);
        Assert.Equal(RunConfigJson.Serialize(new RunConfig()), RunConfigJson.Serialize(parsed));
        Assert.Contains("\"steps\": null", output);
    }

    [Fact]
    public void An_unknown_config_key_exits_2_naming_the_key()
    {
        var (code, _, error) = CliHarness.Run("train", "--config", WriteConfig("""{"optimizer": {"learning_rate": 0.1}}"""), "--out", TempDir());
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("unknown key 'optimizer.learning_rate'", error);
    }

    [Fact]
    public void A_bad_schedule_exits_2_naming_the_parameter()
    {
        var (code, _, error) = CliHarness.Run("train", "--config", WriteConfig("""{"schedule": {"kind": "CosineAnnealingWarmRestarts", "params": {"T_0": 0}}}"""),
            "--steps", "5", "--out", TempDir());
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("T_0", error);
    }

    [Fact]
    [Trait("Category", "Slow")] // a real ResNet-20 (BatchNorm) run of 4 steps, evaluated twice
    public void Train_with_ema_reports_the_average_and_writes_model_ema_bin_beside_model_bin()
    {
        string run = Path.Combine(TempDir(), "run");
        var (code, output, error) = CliHarness.Run("train", "--config", WriteConfig(Tiny), "--steps", "4", "--seed", "4", "--set", "ema.decay=0.5", "--out", run);
        Assert.True(code == 0, error);
        Assert.Contains("; ema: test accuracy", output);
        Assert.Equal(new FileInfo(Path.Combine(run, "model.bin")).Length, new FileInfo(Path.Combine(run, "model_ema.bin")).Length);
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(run, "model.bin")), File.ReadAllBytes(Path.Combine(run, "model_ema.bin")));
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "summary.json")))!;
        Assert.InRange(summary["ema_test"]!["accuracy"]!.GetValue<double>(), 0, 1);
        var last = JsonNode.Parse(File.ReadLines(Path.Combine(run, "metrics.jsonl")).Last())!;
        Assert.Equal(summary["ema_test"]!["loss"]!.GetValue<double>(), last["ema_test_eval_loss"]!.GetValue<double>());
        Assert.True(new CheckpointStore(run).Latest()!.Has("ema"));
        Assert.Contains("\"ema\"", File.ReadAllText(Path.Combine(run, "config.json")));
    }

    [Fact]
    public void Train_writes_the_run_folder_and_refuses_to_overwrite_it()
    {
        string run = Path.Combine(TempDir(), "run");
        var (code, output, error) = CliHarness.Run("train", "--config", WriteConfig(Tiny), "--steps", "6", "--checkpoint-every", "3", "--seed", "4", "--out", run);
        Assert.True(code == 0, error);
        Assert.Contains("done: 6 steps", output);
        var rows = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => { Assert.NotNull(r["step"]); Assert.NotNull(r["lr"]); Assert.NotNull(r["train_loss"]); });
        Assert.Equal(4, RunConfigJson.Load(Path.Combine(run, "config.json")).Seed);

        var (again, _, refusal) = CliHarness.Run("train", "--config", WriteConfig(Tiny), "--steps", "6", "--out", run);
        Assert.Equal(ExitCodes.BadInput, again);
        Assert.Contains("--resume", refusal);
        Assert.Equal(6, File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Length);
    }

    [Fact]
    public void A_diverging_run_exits_3_and_keeps_its_last_checkpoint()
    {
        string run = Path.Combine(TempDir(), "run");
        string config = WriteConfig("""
            {"model": {"name": "resnet20", "width": 0.25}, "batch_size": 32, "log_every": 1, "eval_every": 0, "checkpoint_every": 1,
             "optimizer": {"name": "sgd", "lr": 1000, "momentum": 0.9},
             "divergence": {"explode_factor": 5}, "schedule": {"kind": "LinearLR", "params": {"start_factor": 0.001, "end_factor": 1, "total_iters": 20}}}
            """);
        // The lr climbs from 1 by ~50 per step: the loss explodes within the first steps, after some checkpoints.
        var (code, _, error) = CliHarness.Run("train", "--config", config, "--steps", "60", "--out", run);
        Assert.Equal(ExitCodes.Diverged, code);
        var match = System.Text.RegularExpressions.Regex.Match(error, @"training diverged at step (\d+): .*; last good checkpoint kept at (\S+step-(\d+))");
        Assert.True(match.Success, error);
        // Checkpoint step-N holds the weights of forward pass N + 1: the good one is from before the diverged step's weights.
        Assert.True(long.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) < long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1, error);
        Assert.True(Directory.Exists(match.Groups[2].Value), error);
        Assert.NotNull(new CheckpointStore(run).Latest());
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Sigkill_during_training_and_checkpointing_never_corrupts_an_earlier_checkpoint()
    {
        string run = Path.Combine(TempDir(), "run");
        string config = WriteConfig(Tiny);
        string cli = Path.Combine(AppContext.BaseDirectory, "trainkit.dll");
        var random = new Random(7);
        for (int attempt = 0; attempt < 4; attempt++)
        {
            var args = attempt == 0
                ? $"{cli} train --config {config} --steps 400 --checkpoint-every 1 --out {run}"
                : $"{cli} train --resume {run} --checkpoint-every 1";
            using var process = Process.Start(new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            // Wait until at least one checkpoint exists (the first start loads data and libtorch), then kill at a random moment.
            var clock = Stopwatch.StartNew();
            while (new CheckpointStore(run).Latest() is null && clock.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited) Thread.Sleep(50);
            Thread.Sleep(random.Next(100, 1500));
            process.Kill(entireProcessTree: true);
            process.WaitForExit();

            Checkpoint latest = new CheckpointStore(run).Latest()!;
            Assert.NotNull(latest);
            foreach (string part in new[] { "model", "optimizer", "rng" }) Assert.True(latest.Has(part), $"{part} in {latest.Folder}");
        }
        var (code, output, error) = CliHarness.Run("train", "--resume", run, "--steps", (new CheckpointStore(run).Latest()!.Step + 3).ToString());
        Assert.True(code == 0, error);
        Assert.Contains("done:", output);
    }
}
