using System.Diagnostics;
using TrainKit.Training.Experiments;

namespace TrainKit.Cli.Tests;

public class CompareCommandTests
{
    const string Experiment = """
        {"name": "sharded", "description": "three schedules x two seeds, four steps each", "analyze": false,
         "base": {"model": {"name": "resnet20", "width": 0.25}, "batch_size": 16, "steps": 4, "log_every": 2, "eval_every": 2,
                  "checkpoint_every": 2, "data": {"eval_examples": 100}},
         "variants": [{"name": "constant", "schedule": {"kind": "ConstantLR", "params": {"factor": 1}}},
                      {"name": "cosine", "schedule": {"kind": "CosineAnnealingLR"}},
                      {"name": "sgdr", "schedule": {"kind": "SGDR", "params": {"T_0": 2}}}],
         "seeds": [0, 1]}
        """;

    [Trait("Category", "Slow")]
    [Fact]
    public void Two_shard_processes_share_one_folder_and_the_report_assembles_every_cell()
    {
        string dir = Directory.CreateTempSubdirectory("trainkit-compare-").FullName;
        string experiment = Path.Combine(dir, "experiment.json");
        File.WriteAllText(experiment, Experiment);
        string sweep = Path.Combine(dir, "sweep");
        string cli = Path.Combine(AppContext.BaseDirectory, "trainkit.dll");

        var shards = Enumerable.Range(0, 2).Select(i => Process.Start(new ProcessStartInfo("dotnet",
            $"{cli} compare --experiment {experiment} --out {sweep} --shard {i}/2 --no-report")
        { RedirectStandardOutput = true, RedirectStandardError = true })!).ToList();
        foreach (var shard in shards)
        {
            string output = shard.StandardOutput.ReadToEnd() + shard.StandardError.ReadToEnd();
            Assert.True(shard.WaitForExit(300_000), "a shard did not finish in 5 minutes");
            Assert.True(shard.ExitCode == 0, output);
            Assert.Contains("ran 3 cell(s)", output);
            // Redirected output is a log: per cell one line per logging interval (steps 2 and 4) and one when it ends.
            var lines = output.Split('\n');
            for (int position = 1; position <= 3; position++)
            {
                Assert.Single(lines, l => l.StartsWith($"[{position}/3 ", StringComparison.Ordinal) && l.Contains("] step 2/4 (50", StringComparison.Ordinal));
                Assert.Single(lines, l => l.StartsWith($"[{position}/3 ", StringComparison.Ordinal) && l.Contains("] step 4/4 (100", StringComparison.Ordinal)
                    && l.Contains("eval@4 test_accuracy", StringComparison.Ordinal));
                Assert.Single(lines, l => l.StartsWith($"[{position}/3 ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("] finished", StringComparison.Ordinal));
            }
        }

        var (code, report, error) = CliHarness.Run("compare", "--report-only", sweep);
        Assert.True(code == 0, error);
        Assert.Contains("report.html", report);
        string[] csv = File.ReadAllLines(Path.Combine(sweep, "report", "summary.csv"));
        Assert.Equal(["constant", "cosine", "sgdr"], csv.Skip(1).Select(l => l.Split(',')[0]));
        Assert.All(csv.Skip(1), l => Assert.Equal("2", l.Split(',')[1]));

        // Everything is finished: running the whole sweep again skips every cell.
        var (again, output2, _) = CliHarness.Run("compare", "--experiment", experiment, "--out", sweep, "--no-report");
        Assert.Equal(0, again);
        Assert.Contains("ran 0 cell(s), skipped 6", output2);
        Assert.Contains("[6/6 ", output2);
        Assert.Contains("skipped: already finished", output2);
    }

    [Fact]
    public void A_schedule_that_cannot_fit_its_run_in_the_last_variant_stops_the_sweep_before_any_cell_trains()
    {
        string dir = Directory.CreateTempSubdirectory("trainkit-compare-").FullName;
        string experiment = Path.Combine(dir, "experiment.json");
        File.WriteAllText(experiment, Experiment.Replace("{\"kind\": \"SGDR\", \"params\": {\"T_0\": 2}}",
            "{\"kind\": \"WarmupCosine\", \"params\": {\"warmup_steps\": 40}}", StringComparison.Ordinal));
        string sweep = Path.Combine(dir, "sweep");

        var (code, _, error) = CliHarness.Run("compare", "--experiment", experiment, "--out", sweep, "--no-report");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("experiment 'sharded', cell sgdr__seed0: schedule WarmupCosine:", error);
        Assert.False(Directory.Exists(Path.Combine(sweep, "cells")), "a cell trained before the bad one was found");
    }

    [Fact]
    public void Every_preset_resolves_to_valid_cells()
    {
        foreach (string name in Presets.Names)
        {
            var cells = new Sweep(Presets.Get(name), "/unused").Cells();
            Assert.NotEmpty(cells);
            Assert.Equal(cells.Count, cells.Select(c => c.Name).Distinct().Count());
        }
        var (code, _, error) = CliHarness.Run("compare", "--preset", "nope");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("unknown preset 'nope'", error);
    }
}
