namespace TrainKit.Cli.Tests;

/// <summary>The exit-code contract: bad input of any kind (a flag, a path, a value) is exit 2 naming it, one line,
/// no stack trace.</summary>
public class ExitCodeContractTests
{
    static string TempDir() => Directory.CreateTempSubdirectory("trainkit-exit-").FullName;

    [Theory]
    [InlineData("--steps abc", "--steps")]
    [InlineData("--bogus-flag", "--bogus-flag")]
    [InlineData("--steps 3 --steps 4", "--steps")]
    [InlineData("--seed 1.5", "--seed")]
    public void Command_line_parse_errors_exit_2_naming_the_option(string flags, string named)
    {
        var (code, _, error) = CliHarness.Run(["train", .. flags.Split(' '), "--out", TempDir()]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(named, error);
        Assert.Contains("trainkit train --help", error);
        Assert.DoesNotContain("System.Nullable", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void An_out_that_is_a_file_an_empty_out_and_an_unwritable_out_exit_2_naming_the_path()
    {
        string file = Path.Combine(TempDir(), "file");
        File.WriteAllText(file, "x");
        var (code, _, error) = CliHarness.Run("train", "--steps", "2", "--out", file);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--out {file} is a file", error);

        (code, _, error) = CliHarness.Run("train", "--steps", "2", "--out", "");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--out is empty", error);

        (code, _, error) = CliHarness.Run("train", "--steps", "2", "--out", "/proc/trainkit-cannot-be-here");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--out /proc/trainkit-cannot-be-here cannot be written", error);
    }

    [Theory]
    [InlineData("--end-lr", "0")]
    [InlineData("--end-lr", "1e-9")]
    [InlineData("--end-lr", "Infinity")]
    [InlineData("--start-lr", "-1")]
    [InlineData("--iterations", "1")]
    public void Lr_find_range_values_out_of_range_exit_2_naming_the_option(string option, string value)
    {
        var (code, _, error) = CliHarness.Run("lr-find", option, value, "--out", TempDir());
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(option, error);
    }

    [Fact]
    public void Compare_with_a_negative_seed_count_exits_2_naming_the_option()
    {
        var (code, _, error) = CliHarness.Run("compare", "--preset", "quick", "--seeds", "-2", "--out", TempDir());
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--seeds must be at least 1", error);
    }

    [Fact]
    public void Schedule_plot_steps_are_bounded()
    {
        var (code, _, error) = CliHarness.Run("schedule", "plot", "StepLR:step_size=5", "--steps", "2000000000", "--out", Path.Combine(TempDir(), "p.png"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--steps must be in [1, 1000000]", error);
    }

    [Fact]
    public void The_default_warmup_in_a_short_run_says_it_is_the_default_schedule()
    {
        var (code, _, error) = CliHarness.Run("train", "--steps", "10", "--out", TempDir());
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("default schedule", error);
        Assert.Contains("schedule.params.warmup_steps", error);
    }

    [Fact]
    public void Data_given_for_the_bundled_subset_is_refused_instead_of_ignored()
    {
        var (code, _, error) = CliHarness.Run("train", "--steps", "10", "--data", "/does/not/exist", "--out", TempDir());
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("data.path (--data)", error);
        Assert.Contains("embedded", error);
    }

    [Fact]
    public void Resume_with_an_empty_folder_name_exits_2()
    {
        var (code, _, error) = CliHarness.Run("train", "--resume", "");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--resume is empty", error);
    }
}
