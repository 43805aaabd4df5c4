using System.Text.Json.Nodes;
using TrainKit.Schedulers.Golden;

namespace TrainKit.Cli.Tests;

public class ScheduleCommandTests
{
    static string GoldenFolder => FixtureFolder.Require(AppContext.BaseDirectory);

    [Fact]
    public void Replay_of_every_fixture_exits_0_with_every_case_agreeing()
    {
        var files = FixtureFolder.Files(GoldenFolder);
        Assert.True(files.Length >= (Environment.GetEnvironmentVariable(FixtureFolder.EnvironmentVariable) is { Length: > 0 } ? 1 : 41));
        var (code, output, error) = CliHarness.Run(["schedule", "replay", .. files]);
        Assert.True(code == 0, output + error);
        Assert.Contains("; 0 failed", output);
        foreach (var f in files) Assert.Contains(Path.GetFileNameWithoutExtension(f), output);
        Assert.DoesNotContain("FAIL", output);
    }

    [Fact]
    public void Replay_without_arguments_replays_the_repository_fixtures()
    {
        var (code, output, error) = CliHarness.Run("schedule", "replay");
        Assert.True(code == 0, output + error);
        int count = FixtureFolder.Files(GoldenFolder).Length;
        Assert.Contains($"{count}/{count} within 1E-012 relative; 0 failed", output);
        Assert.Contains("StepLR.json", output);
    }

    [Fact]
    [Trait("Category", "Slow")]
    [Trait("Category", "Differential")]
    public void Differential_prints_case_count_seed_torch_version_and_mismatches()
    {
        var (code, output, error) = CliHarness.Run("schedule", "differential", "--cases", "40", "--seed", "3");
        Assert.True(code == 0, output + error);
        Assert.Matches(@"differential: 40 cases, seed 3, torch 1\.13[^:]*: 40 agree, 0 mismatches", output);
    }

    [Fact]
    public void Differential_without_python_exits_2_naming_it()
    {
        var (code, _, error) = CliHarness.Run("schedule", "differential", "--cases", "1", "--python", "/nonexistent/python3");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("/nonexistent/python3", error);
    }

    [Fact]
    public void Replay_exits_1_when_a_recorded_value_is_off()
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(GoldenFolder, "StepLR.json")))!;
        node["lrs"]![20]![0] = node["lrs"]![20]![0]!.GetValue<double>() * (1 + 1e-9);
        string tampered = Path.Combine(Path.GetTempPath(), $"tampered-{Guid.NewGuid():N}.json");
        File.WriteAllText(tampered, node.ToJsonString());
        try
        {
            var (code, output, _) = CliHarness.Run("schedule", "replay", tampered);
            Assert.Equal(ExitCodes.Failure, code);
            Assert.Contains("FAIL", output);
            Assert.Contains("0/1 within", output);
            Assert.Contains("1 failed", output);
        }
        finally { File.Delete(tampered); }
    }

    [Fact]
    public void Csv_writes_one_row_per_step_with_co_scheduled_columns()
    {
        var (code, output, error) = CliHarness.Run("schedule", "csv", "OneCycleLR:max_lr=0.5,total_steps=20", "StepLR:step_size=5,gamma=0.5", "--steps", "10");
        Assert.True(code == 0, error);
        var lines = output.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("schedule,step,time,lr,weight_decay,momentum", lines[0]);
        Assert.Equal(1 + 2 * 11, lines.Length);
        Assert.StartsWith("\"OneCycleLR:max_lr=0.5,total_steps=20\",0,0,0.02", lines[1]);
        Assert.EndsWith(",,0.95", lines[1]);                          // OneCycle moves momentum, not weight decay
        Assert.Equal("StepLR:step_size=5,gamma=0.5,10,10,0.025,,", lines[^1].Replace("\"", ""));
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".svg")]
    public void Plot_writes_an_image(string extension)
    {
        string path = Path.Combine(Path.GetTempPath(), $"schedules-{Guid.NewGuid():N}{extension}");
        try
        {
            var (code, output, error) = CliHarness.Run("schedule", "plot", "CosineAnnealingWarmRestarts:T_0=10,T_mult=2",
                """{"kind":"WarmupCosine","params":{"warmup_steps":10,"total_steps":100},"weight_decay":{"mode":"constant_product"}}""",
                "OneCycleLR:max_lr=0.3,total_steps=100", "--steps", "100", "-o", path);
            Assert.True(code == 0, error);
            Assert.Contains("wrote", output);
            Assert.True(new FileInfo(path).Length > 1000);
            if (extension == ".svg") Assert.Contains("<svg", File.ReadAllText(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_bad_parameter_is_exit_code_2_with_its_name_and_range()
    {
        var (code, _, error) = CliHarness.Run("schedule", "csv", "OneCycleLR:max_lr=0.1,total_steps=100,pct_start=1.5");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("pct_start must be in (0, 1), got 1.5", error);
    }

    [Fact]
    public void Kinds_lists_parameters_with_units_and_ranges()
    {
        var (code, output, _) = CliHarness.Run("schedule", "kinds", "SGDR");
        Assert.Equal(0, code);
        Assert.Contains("CosineAnnealingWarmRestarts", output);
        Assert.Contains("T_0", output);
        Assert.Contains("[1, inf)", output);
    }

    [Fact]
    public void Kinds_json_is_machine_readable_metadata()
    {
        var (code, output, _) = CliHarness.Run("schedule", "kinds", "--json");
        Assert.Equal(0, code);
        var kinds = JsonNode.Parse(output)!.AsArray();
        var oneCycle = kinds.Single(k => k!["name"]!.GetValue<string>() == "OneCycleLR")!;
        var pct = oneCycle["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "pct_start")!;
        Assert.Equal("ratio", pct["unit"]!.GetValue<string>());
        Assert.Equal(0.3, pct["default"]!.GetValue<double>());
        Assert.Equal("(0, 1)", pct["range_text"]!.GetValue<string>());
        Assert.True(oneCycle["cycles_momentum"]!.GetValue<bool>());
    }
}
