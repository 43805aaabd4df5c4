using System.Runtime.CompilerServices;

namespace TrainKit.Tests.Shared;

/// <summary>
/// Every test process gets its own temporary root, <c>$TMPDIR/trainkit-tests-PID</c>, set as <c>TMPDIR</c> before the
/// first test runs (so <see cref="Path.GetTempPath"/>, <see cref="Directory.CreateTempSubdirectory(string)"/> and
/// the CLI, worker, PostgreSQL and Chromium processes the tests start all write under it) and deleted when the
/// process exits, or by the next test process when the host was killed before its exit handlers ran. Run folders, sweeps and browser profiles therefore never pile up in /tmp, whatever a test does.
/// Compiled into every test project by tests/Directory.Build.props.
/// </summary>
static class TestTempRoot
{
#pragma warning disable CA2255 // a module initializer is the one hook that runs before any test of the assembly
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Create()
    {
        if (Environment.GetEnvironmentVariable("TRAINKIT_TEST_TEMP_ROOT") is { Length: > 0 }) return; // a child process of a test
        string parent = Path.GetTempPath();
        // The test host is often ended without running ProcessExit handlers: roots of processes that are gone are removed here.
        foreach (string stale in Directory.GetDirectories(parent, "trainkit-tests-*"))
            if (int.TryParse(Path.GetFileName(stale)["trainkit-tests-".Length..], out int pid) && !IsAlive(pid))
                TryDelete(stale);
        string root = Path.Combine(parent, $"trainkit-tests-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        Environment.SetEnvironmentVariable("TMPDIR", root);
        Environment.SetEnvironmentVariable("TRAINKIT_TEST_TEMP_ROOT", root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
    }

    static void TryDelete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }              // a child still writing: the next run removes it
        catch (UnauthorizedAccessException) { }
    }

    static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
