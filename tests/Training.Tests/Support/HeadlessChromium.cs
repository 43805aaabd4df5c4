using System.Diagnostics;

namespace TrainKit.Training.Tests.Support;

/// <summary>Debian's Chromium, headless, for checking what a page renders (installed by .ci/run).</summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    public sealed record Page(string Dom, string Log, string ScreenshotPath);

    /// <summary>Loads a local file, lets it settle, and returns the DOM, Chromium's log and a screenshot.</summary>
    public static Page Load(string htmlPath, int width = 1200, int height = 2400)
    {
        Assert.True(File.Exists(Executable), $"headless Chromium is required at {Executable}: apt-get install chromium (.ci/run does)");
        string profile = Directory.CreateTempSubdirectory("trainkit-chromium-").FullName;
        string screenshot = Path.Combine(profile, "page.png");
        string Flags(string extra) =>
            $"--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking " +
            $"--disable-component-update --disable-sync --user-data-dir={profile} --enable-logging=stderr --v=0 " +
            $"--virtual-time-budget=3000 --window-size={width},{height} {extra} file://{htmlPath}";
        var (dom, log) = Run(Flags("--dump-dom"));
        Run(Flags($"--screenshot={screenshot}"));
        return new Page(dom, log, screenshot);
    }

    static (string Out, string Err) Run(string arguments)
    {
        var start = new ProcessStartInfo(Executable, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "chromium did not finish within 60 s");
        return (output, err.Result);
    }
}
