using System.Globalization;
using Spectre.Console;
using TrainKit.Training.Loop;

namespace TrainKit.Cli.Commands;

/// <summary>
/// Training progress where there is no terminal to redraw a bar in (a Slurm or CI log, a pipe): one plain line per
/// logging interval with the step, loss, lr, throughput, the latest evaluation and the time left, each step at most
/// once (a step seen again after a divergence rollback is marked as such, not repeated silently).
/// </summary>
public sealed class ProgressLines(IAnsiConsole console, string prefix = "")
{
    long _lastStep = -1;
    string _lastEvaluation = "";

    /// <summary>Whether the console should get lines instead of a live progress bar.</summary>
    public static bool Wanted(IAnsiConsole console) => !console.Profile.Capabilities.Interactive;

    public void Report(TrainingProgress p)
    {
        if (p.Evaluation is { Count: > 0 } evaluation) _lastEvaluation = $"eval@{p.Step} {Describe(evaluation)}";
        string again = p.Step <= _lastStep ? " (again, after a rollback)" : "";
        _lastStep = Math.Max(_lastStep, p.Step);
        double done = (double)p.Step / Math.Max(1, p.TotalSteps);
        string remaining = p.Step > 0 && p.Step < p.TotalSteps ? $", ~{Duration(p.Elapsed * ((1 - done) / done))} left" : "";
        var parts = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.TotalSteps} ({done:P0}){again}"),
            string.Create(CultureInfo.InvariantCulture, $"loss {p.Loss:F4}"),
            string.Create(CultureInfo.InvariantCulture, $"lr {p.Lr:G3}"),
        };
        if (p.ExamplesPerSecond is double rate) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{rate:F0} ex/s"));
        if (_lastEvaluation.Length > 0) parts.Add(_lastEvaluation);
        parts.Add($"[{Duration(p.Elapsed)}{remaining}]");
        // Straight to the writer (WriteLine below): Spectre would wrap a long line at its assumed width, and a log wants one
        // line per step, flushed so that `tail -f` on a Slurm log sees it at once.
        WriteLine(console, prefix + string.Join("  ", parts));
    }

    /// <summary>One flushed line, straight to the console's writer.</summary>
    public static void WriteLine(IAnsiConsole console, string line)
    {
        var writer = console.Profile.Out.Writer;
        writer.WriteLine(line);
        writer.Flush();
    }

    /// <summary>Test split first (what a reader looks for), then validation, then the rest; losses and accuracies.</summary>
    static string Describe(IReadOnlyDictionary<string, double> evaluation) => string.Join(", ", evaluation
        .OrderBy(kv => kv.Key.StartsWith("test_", StringComparison.Ordinal) ? 0 : kv.Key.StartsWith("validation_", StringComparison.Ordinal) ? 1 : 2)
        .ThenBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(kv => kv.Key.EndsWith("_accuracy", StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:P2}")
            : string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:G4}")));

    static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:D2}");
}
