using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TrainKit.Training.Metrics;
using Xunit.Abstractions;

namespace TrainKit.Cli.Tests;

/// <summary>
/// Kill-at-every-write crash consistency, with real fault injection: strace (Debian's) delivers SIGKILL on entry to the
/// N-th call of one file-mutating system call (write, pwrite64, fsync, ftruncate, rename, unlink) of a short
/// <c>trainkit train</c>; then the run is recovered the way the README tells a user to (<c>--resume</c>; when the kill
/// came before <c>config.json</c> existed, resume refuses with exit 2 and the original command is run again), and the
/// recovered run is compared with one that was never killed:
/// <list type="bullet">
/// <item>clean: recovery exits 0 and every metrics row and the final test figures equal the uninterrupted run's;</item>
/// <item>crash: recovery exits with anything but 0/2/3, or prints a stack trace;</item>
/// <item>silent-wrong: recovery exits 0 but a row or a figure differs;</item>
/// <item>data-lost: rows, the summary or the model are missing after recovery, or it cannot recover at all.</item>
/// </list>
/// <c>TRAINKIT_CRASH_POINTS</c> sets the size: a number of kill points spread over all of them (default 12, for CI: under a minute here), or
/// <c>all</c> (every call of every syscall; about 220 points, about 13 minutes here).
/// </summary>
[Collection(CrashConsistencyCollection.Name)]
public partial class CrashConsistencyTests(ITestOutputHelper output)
{
    const string Strace = "/usr/bin/strace";
    static readonly string[] Syscalls = ["write", "pwrite64", "fsync", "ftruncate", "rename", "unlink"];
    static readonly string[] DeterministicColumns = ["step", "epoch", "lr", "train_loss", "grad_norm", "weight_norm"];

    const string Tiny = """
        {"model": {"name": "resnet20", "width": 0.25}, "batch_size": 32, "log_every": 2, "eval_every": 0,
         "data": {"eval_examples": 200}, "schedule": {"kind": "WarmupCosine", "params": {"warmup_steps": 2}}}
        """;

    static readonly string[] TrainArgs = ["--steps", "12", "--checkpoint-every", "4"];

    [GeneratedRegex(@"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(?<calls>\d+)\s+(?:\d+\s+)?(?<name>\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CountLine();

    sealed record Outcome(int Code, string Output, string Error);

    static Outcome Run(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{file} {string.Join(' ', args)} hung"); }
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }

    static string Cli => Path.Combine(AppContext.BaseDirectory, "trainkit.dll");

    static string[] Train(string config, string run) => [Cli, "train", "--config", config, .. TrainArgs, "--out", run];

    /// <summary>What a run left that the comparison reads: the deterministic columns of every row, and the final test figures.</summary>
    static (List<string> Rows, string? Summary) Read(string run)
    {
        var rows = File.Exists(Path.Combine(run, "metrics.jsonl"))
            ? MetricsLog.Read(run).Select(r => string.Join(",", DeterministicColumns.Select(c => r[c]?.ToJsonString() ?? "-"))).ToList()
            : [];
        string summaryPath = Path.Combine(run, "summary.json");
        string? summary = File.Exists(summaryPath) && JsonNode.Parse(File.ReadAllText(summaryPath))?["test"] is JsonNode test ? test.ToJsonString() : null;
        return (rows, summary);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void A_run_killed_at_any_write_recovers_to_the_uninterrupted_result()
    {
        Assert.True(File.Exists(Strace), $"{Strace} is missing: install Debian's strace (.ci/run does) to run the crash-consistency harness");
        string root = Directory.CreateTempSubdirectory("trainkit-crash-").FullName;
        try
        {
            string config = Path.Combine(root, "run.json");
            File.WriteAllText(config, Tiny);

            // The uninterrupted reference, and how often each syscall is called (counted under strace, as the kills run).
            string reference = Path.Combine(root, "reference");
            string counts = Path.Combine(root, "counts.txt");
            var counted = Run(Strace, ["-f", "-qq", "-c", "-o", counts, "-e", $"trace={string.Join(',', Syscalls)}", "dotnet", .. Train(config, reference)]);
            Assert.True(counted.Code == 0, counted.Error);
            var (expectedRows, expectedSummary) = Read(reference);
            Assert.Equal(6, expectedRows.Count);
            Assert.NotNull(expectedSummary);
            var calls = CountLine().Matches(File.ReadAllText(counts)).ToDictionary(m => m.Groups["name"].Value, m => int.Parse(m.Groups["calls"].Value, System.Globalization.CultureInfo.InvariantCulture));
            var points = Syscalls.Where(calls.ContainsKey).SelectMany(s => Enumerable.Range(1, calls[s]).Select(n => (Syscall: s, N: n))).ToList();
            Assert.True(points.Count >= 20, $"expected the run to make at least 20 file-mutating calls, counted {points.Count}: {File.ReadAllText(counts)}");

            string size = Environment.GetEnvironmentVariable("TRAINKIT_CRASH_POINTS") ?? "12";
            int wanted = size == "all" ? points.Count : Math.Min(points.Count, int.Parse(size, System.Globalization.CultureInfo.InvariantCulture));
            var chosen = Enumerable.Range(0, wanted).Select(i => points[(int)((long)i * points.Count / wanted)]).ToList();

            int killed = 0, notReached = 0, clean = 0, crashes = 0, silentWrong = 0, dataLost = 0;
            var problems = new List<string>();
            foreach (var (syscall, n) in chosen)
            {
                string run = Path.Combine(root, $"{syscall}-{n}");
                var first = Run(Strace, ["-f", "-qq", "-o", "/dev/null", "-e", $"trace={syscall}", "-e", $"inject={syscall}:signal=SIGKILL:when={n}", "dotnet", .. Train(config, run)]);
                if (first.Code == 0)
                {
                    notReached++;   // strace counts per thread: no one thread made this many calls
                    Directory.Delete(run, recursive: true);
                    continue;
                }
                killed++;
                var recovery = Run("dotnet", [Cli, "train", "--resume", run]);
                if (recovery.Code == 2 && !File.Exists(Path.Combine(run, "config.json")))
                    recovery = Run("dotnet", Train(config, run));   // killed before the run folder existed as one: start again
                var (rows, summary) = Read(run);
                string at = $"{syscall} #{n}";
                if (recovery.Code is not (0 or 2 or 3) || recovery.Error.Contains("   at ", StringComparison.Ordinal))
                { crashes++; problems.Add($"{at}: crash, exit {recovery.Code}: {recovery.Error}"); }
                else if (recovery.Code != 0 || rows.Count < expectedRows.Count || summary is null || !File.Exists(Path.Combine(run, "model.bin")))
                { dataLost++; problems.Add($"{at}: data lost, exit {recovery.Code}, {rows.Count} of {expectedRows.Count} rows, summary {(summary is null ? "missing" : "present")}: {recovery.Error}"); }
                else if (!rows.SequenceEqual(expectedRows) || summary != expectedSummary)
                { silentWrong++; problems.Add($"{at}: silently different: {summary} vs {expectedSummary}"); }
                else clean++;
                Directory.Delete(run, recursive: true);
            }
            string line = $"crash harness: tried {chosen.Count} of {points.Count} kill points (killed {killed}, not reached {notReached}), clean {clean}, crashes {crashes}, silent-wrong {silentWrong}, data-lost {dataLost}";
            output.WriteLine(line);
            TrainKit.Tests.HarnessLog.Write(line);
            foreach (string p in problems) output.WriteLine(p);
            Assert.True(killed > 0, line);
            Assert.True(crashes + silentWrong + dataLost == 0, line + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}

/// <summary>The harness starts many training processes: it runs alone so its timings stay bounded.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashConsistencyCollection
{
    public const string Name = "crash consistency";
}
