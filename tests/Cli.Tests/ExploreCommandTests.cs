using System.Diagnostics;

namespace TrainKit.Cli.Tests;

public class ExploreCommandTests
{
    [Fact]
    public void A_bad_port_is_one_line_with_exit_code_2()
    {
        var (code, _, error) = CliHarness.Run("explore", "--port", "70000");
        Assert.Equal(2, code);
        Assert.Equal("error: --port must be in [0, 65535], got 70000", error.Trim());
    }

    [Fact]
    public async Task Prints_its_url_serves_the_page_and_stops_cleanly_on_ctrl_c()
    {
        // A real process, so Ctrl+C (SIGINT) goes through the same path as at a terminal.
        var start = new ProcessStartInfo("dotnet", [typeof(TrainKitCli).Assembly.Location, "explore", "--port", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.NotNull(line);
            Assert.StartsWith("TrainKit schedule explorer: http://127.0.0.1:", line);
            var url = new Uri(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]);
            using (var http = new HttpClient()) Assert.Contains("TrainKit schedule explorer", await http.GetStringAsync(url));

            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString()])) await interrupt.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("explorer stopped", await process.StandardOutput.ReadToEndAsync());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
