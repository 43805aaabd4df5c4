namespace TrainKit.Tests;

/// <summary>The fault-injection and fuzz harnesses' closing lines (tried / clean / crashes / …): besides the test
/// output, appended to the file named by <c>TRAINKIT_HARNESS_LOG</c> when it is set, so <c>.ci/run</c> can print
/// them after the suite at normal verbosity.</summary>
public static class HarnessLog
{
    public const string EnvironmentVariable = "TRAINKIT_HARNESS_LOG";

    static readonly object Gate = new();

    public static void Write(string line)
    {
        string? path = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(path)) return;
        lock (Gate) File.AppendAllText(path, line + Environment.NewLine);
    }
}
