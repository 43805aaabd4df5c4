using System.Text.Json.Nodes;

namespace TrainKit.Cli.Tests;

public class AnalyzeCommandTests
{
    /// <summary>A quarter-width ResNet-20 trained for 4 steps by the CLI, with <paramref name="extraKeys"/> added to its config.</summary>
    internal static (string Folder, string Run) TrainFourSteps(string extraKeys)
    {
        string dir = Directory.CreateTempSubdirectory("trainkit-analyze-").FullName;
        string config = Path.Combine(dir, "run.json");
        File.WriteAllText(config, $$$"""
            {"model": {"name": "resnet20", "width": 0.25}, "batch_size": 32, "log_every": 2, "eval_every": 0,
             "data": {"eval_examples": 100}, "schedule": {"kind": "ConstantLR", "params": {"factor": 1}}, {{{extraKeys}}}}
            """);
        string run = Path.Combine(dir, "run");
        var (trained, _, trainError) = CliHarness.Run("train", "--config", config, "--steps", "4", "--out", run);
        Assert.True(trained == 0, trainError);
        return (dir, run);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Analyze_reads_a_run_folder_and_writes_analysis_json_in_the_documented_shape_and_the_snapshot_ensemble()
    {
        var (dir, run) = TrainFourSteps("\"snapshot_epochs\": [0.0064, 0.0128]");

        var (code, output, error) = CliHarness.Run("analyze", run, "--quick", "--examples", "32", "--landscape-points", "5");
        Assert.True(code == 0, error);
        Assert.Contains("λ_max (Lanczos)", output);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "analysis.json")))!;
        Assert.True(json["lambda_max"]!["lanczos"]!["value"]!.GetValue<double>() > 0);
        Assert.True(json["lambda_max"]!["lanczos"]!["hvps"]!.GetValue<long>() > 0);
        Assert.NotNull(json["trace"]!["hutchinson"]!["stderr"]);
        Assert.True(File.Exists(Path.Combine(run, "landscape_1d.csv")));
        // The figure is drawn by Training's ScottPlot AnalysisPlots, handed to TrainKit.Analysis by the run-folder analysis.
        Assert.Equal("landscape_1d.png", json["landscape"]!["filter_normalized_1d"]!["plot"]!.GetValue<string>());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(run, "landscape_1d.png"))[..4]);
        // 312 steps per epoch at batch 32: snapshots at steps 2 and 4, averaged by the snapshot ensemble.
        Assert.Contains("snapshots averaged", output);
        var ensemble = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "snapshot_ensemble.json")))!;
        Assert.Equal([2L, 4], ensemble["snapshots"]!.AsArray().Select(s => s!["step"]!.GetValue<long>()));
        Assert.Equal(2, ensemble["ensemble"]!["members"]!.GetValue<int>());

        var (missing, _, missingError) = CliHarness.Run("analyze", dir);
        Assert.Equal(ExitCodes.BadInput, missing);
        Assert.Contains("not a run folder", missingError);
    }
}

public class AnalyzeAdamRunTests
{
    [Trait("Category", "Slow")]
    [Fact]
    public void An_adam_run_gets_its_preconditioned_sharpness_against_adams_threshold()
    {
        var (_, run) = AnalyzeCommandTests.TrainFourSteps(
            "\"checkpoint_every\": 4, \"optimizer\": {\"name\": \"adamw\", \"lr\": 0.002, \"beta1\": 0.9, \"weight_decay\": 0.01}");
        var (code, output, error) = CliHarness.Run("analyze", run, "--quick", "--examples", "32");
        Assert.True(code == 0, error);
        Assert.Contains("preconditioned λ_max", output);
        var section = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "analysis.json")))!["preconditioned_lambda_max"]!;
        Assert.Equal(4, section["adam_step"]!.GetValue<long>());
        Assert.Equal(2 * 1.9 / (0.1 * 0.002), section["threshold"]!.GetValue<double>(), 1e-9);
        double value = section["lanczos"]!["value"]!.GetValue<double>();
        Assert.True(value > 0);
        Assert.Equal(value / section["threshold"]!.GetValue<double>(), section["ratio_to_threshold"]!.GetValue<double>(), 1e-12);
    }
}
