using System.Diagnostics;

namespace TrainKit.Cli.Commands;

/// <summary>Starts `trainkit worker` processes on this machine, each with its share of the cores
/// (N × threads ≤ cores, through --threads and OMP_NUM_THREADS), and relays their output line by line.</summary>
static class WorkerProcesses
{
    public static int ThreadsPerWorker(int workers) => Math.Max(1, Environment.ProcessorCount / workers);

    /// <summary>Runs <paramref name="count"/> workers on the sweep and waits for all; returns their exit codes.</summary>
    public static int[] Run(int count, string storeUrl, string sweep, TextWriter output)
    {
        int threads = ThreadsPerWorker(count);
        var processes = new List<Process>();
        for (int i = 0; i < count; i++)
        {
            var start = Self();
            foreach (string arg in new[] { "worker", "--store", storeUrl, "--sweep", sweep, "--threads", threads.ToString() })
                start.ArgumentList.Add(arg);
            start.RedirectStandardOutput = start.RedirectStandardError = true;
            start.Environment["OMP_NUM_THREADS"] = threads.ToString();
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start a worker process");
            string prefix = $"[worker {i}] ";
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(prefix + e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(prefix + e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            processes.Add(process);
        }
        foreach (var process in processes) process.WaitForExit();
        return [.. processes.Select(p => p.ExitCode)];
    }

    /// <summary>This CLI as a new process: the trainkit app host when that is what runs, else `dotnet trainkit.dll`
    /// (also when the CLI runs inside a test host).</summary>
    static ProcessStartInfo Self()
    {
        string? host = Environment.ProcessPath;
        if (host is not null && Path.GetFileNameWithoutExtension(host) == "trainkit") return new ProcessStartInfo(host);
        var start = new ProcessStartInfo(host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet");
        start.ArgumentList.Add(typeof(WorkerProcesses).Assembly.Location);
        return start;
    }
}
