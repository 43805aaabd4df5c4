namespace TrainKit.Cli.Tests;

public class TrainKitCliTests
{
    [Fact]
    public void Help_lists_the_commands()
    {
        var (code, output, _) = CliHarness.Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("info", output);
        Assert.Contains("demo", output);
        Assert.Contains("--verbose", output);
    }

    [Fact]
    public void Version_prints_the_assembly_version()
    {
        var (code, output, _) = CliHarness.Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public void Info_reports_versions_threads_and_why_cuda_is_unavailable()
    {
        var (code, output, _) = CliHarness.Run("info");
        Assert.Equal(0, code);
        Assert.Contains("0.107.0", output);
        Assert.Contains("2.10", output);
        Assert.Contains("intra-op threads", output);
        Assert.Contains("CUDA available", output);
        if (!TorchSharp.torch.cuda.is_available())
            Assert.Contains("CPU backend", output);
    }

    [Fact]
    public void Bad_input_is_one_line_with_exit_code_2_and_no_stack_trace()
    {
        var (code, _, error) = CliHarness.Run("demo", "--steps", "0");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("error: --steps must be at least 1, got 0", error.Trim());
        Assert.DoesNotContain("   at ", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        var (code, _, error) = CliHarness.Run("demo", "--steps", "0", "--verbose");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("   at TrainKit.", error);
    }

    [Fact]
    public void Unknown_command_fails()
    {
        var (code, _, error) = CliHarness.Run("no-such-command");
        Assert.NotEqual(0, code);
        Assert.NotEmpty(error);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Demo_trains_a_small_cnn_well_above_chance_on_the_embedded_data()
    {
        var (code, output, error) = CliHarness.Run("demo", "--steps", "150");
        Assert.True(code == 0, error);
        var match = System.Text.RegularExpressions.Regex.Match(output, @"test accuracy (\d+(?:\.\d+)?) ?%");
        Assert.True(match.Success, output);
        Assert.True(double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 60, output);
    }
}
