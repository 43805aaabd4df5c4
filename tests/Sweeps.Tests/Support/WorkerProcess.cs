using System.Diagnostics;
using System.Text;

namespace TrainKit.Sweeps.Tests.Support;

/// <summary>A real `trainkit worker` (or any trainkit command) child process, its output collected.</summary>
public sealed class WorkerProcess : IDisposable
{
    readonly StringBuilder _output = new();
    public Process Process { get; }

    public WorkerProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "trainkit.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["OMP_NUM_THREADS"] = "1";
        Process = Process.Start(start)!;
        Process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public void WaitForExit(TimeSpan timeout)
    {
        if (!Process.WaitForExit(timeout)) { Process.Kill(); throw new TimeoutException($"worker {Process.Id} did not finish in {timeout}:\n{Output}"); }
        Process.WaitForExit(); // drains the output handlers
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill();
        Process.Dispose();
    }
}
