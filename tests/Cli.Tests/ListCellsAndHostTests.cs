namespace TrainKit.Cli.Tests;

/// <summary>`compare --list-cells` (sizing a job array) and `explore --host` (which address the explorer may use).</summary>
public class ListCellsAndHostTests
{
    [Fact]
    public void List_cells_prints_every_cell_and_the_count_without_training()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"trainkit-list-{Guid.NewGuid():N}");
        var (code, output, error) = CliHarness.Run("compare", "--preset", "quick", "--out", folder, "--list-cells");
        Assert.True(code == 0, error);
        string[] lines = output.Trim().Split('\n');
        Assert.Equal("cells: 5", lines[^1]);
        Assert.Equal(["0\tconstant__seed0", "1\tstep__seed0", "2\twarmup-cosine__seed0", "3\tsgdr__seed0", "4\t1cycle__seed0"], lines[..^1]);
        Assert.False(Directory.Exists(folder), "--list-cells must not start the sweep");
    }

    [Fact]
    public void List_cells_of_a_shard_lists_only_its_cells()
    {
        var (code, output, _) = CliHarness.Run("compare", "--preset", "quick", "--shard", "1/2", "--list-cells");
        Assert.Equal(0, code);
        string[] lines = output.Trim().Split('\n');
        Assert.Equal(["1\tstep__seed0", "3\tsgdr__seed0"], lines[..^1]);
        Assert.Equal("cells: 2 (shard 1/2 of 5)", lines[^1]);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("5310")]
    [InlineData("1.2")]
    public void A_host_that_is_not_an_ip_address_is_one_line_with_exit_code_2(string host)
    {
        var (code, _, error) = CliHarness.Run("explore", "--host", host, "--port", "0");
        Assert.Equal(2, code);
        Assert.Equal($"error: --host must be an IP address (127.0.0.1, 0.0.0.0, ::1, ...) or localhost, got '{host}'", error.Trim());
    }

    [Theory]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("::1", "::1")]
    public void Explicit_hosts_parse_to_the_address_they_name(string text, string expected) =>
        Assert.Equal(System.Net.IPAddress.Parse(expected), Commands.ExploreCommand.ParseHost(text));
}
