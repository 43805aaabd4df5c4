using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrainKit.Schedulers.Golden;

/// <summary>What one differential run found: every case with its replay result.</summary>
public sealed record DifferentialSummary(int Seed, string TorchVersion, IReadOnlyList<(GoldenFile Case, ReplayResult Result)> Results)
{
    public int Cases => Results.Count;
    public int Agreed => Results.Count(r => r.Result.Passed);
    /// <summary>Disagreements: each one is a TrainKit (or driver) bug.</summary>
    public IReadOnlyList<(GoldenFile Case, ReplayResult Result)> Mismatches => Results.Where(r => !r.Result.Passed).ToArray();
}

/// <summary>
/// The differential lane: tools/golden/driver.py draws random valid specs from a seed (kinds, parameters, group
/// counts, composites, step(epoch) interleavings, epoch units) and runs each in PyTorch, one Python process for the
/// whole batch (JSON in, JSON out); every case is then replayed here on real TorchSharp optimizers with
/// <see cref="GoldenReplay"/> and must agree to 1e-12 relative (1e-15 absolute) on lr and momentum/beta1 at every step.
/// </summary>
public static class DifferentialLane
{
    public const string DefaultPython = "/usr/bin/python3";
    public static readonly string DriverRelativePath = Path.Combine("tools", "golden", "driver.py");

    public static DifferentialSummary Run(int cases, int seed, string python = DefaultPython, string? driver = null)
    {
        if (cases < 1) throw new ArgumentException($"--cases must be at least 1, got {cases}", nameof(cases));
        driver ??= FindDriver(Environment.CurrentDirectory, AppContext.BaseDirectory);
        var request = new JsonObject { ["generate"] = new JsonObject { ["cases"] = cases, ["seed"] = seed } };
        var response = RunDriver(python, driver, request.ToJsonString());
        string torch = response["torch"]?.GetValue<string>() ?? "torch ?";
        var drawn = response["cases"]?.AsArray() ?? throw new InvalidDataException($"{driver}: the reply has no \"cases\"");
        var results = drawn.Select(node => node.Deserialize<GoldenFile>() ?? throw new InvalidDataException($"{driver}: an empty case"))
            .Select(c => (c, GoldenReplay.Run(c))).ToArray();
        return new DifferentialSummary(seed, torch, results);
    }

    /// <summary>tools/golden/driver.py in the repository (walking up to TrainKit.sln) or beside the app.</summary>
    public static string FindDriver(params string[] starts)
    {
        foreach (string start in starts)
        {
            string beside = Path.Combine(start, DriverRelativePath);
            if (File.Exists(beside)) return Path.GetFullPath(beside);
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "TrainKit.sln")))
                {
                    string candidate = Path.Combine(dir.FullName, DriverRelativePath);
                    if (File.Exists(candidate)) return candidate;
                    break;
                }
        }
        throw new FileNotFoundException($"differential driver not found: expected {DriverRelativePath} in the repository or beside the app " +
                                        $"(searched from {string.Join(", ", starts)})");
    }

    static JsonNode RunDriver(string python, string driver, string request)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(driver);
        start.Environment["OMP_NUM_THREADS"] = "1";    // the driver's tensors are two numbers each; threads only cost
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FileNotFoundException($"python not found: '{python}' ({e.Message}); install Debian's python3-torch (apt-get install python3-torch)", python, e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(request);
            process.StandardInput.Close();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{python} {driver} exited {process.ExitCode}: {stderr.Result.Trim()}");
            return JsonNode.Parse(stdout) ?? throw new InvalidDataException($"{driver}: empty reply");
        }
    }
}
