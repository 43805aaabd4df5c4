using Spectre.Console;
using TrainKit.Sweeps.Store;
using TrainKit.Sweeps.Workers;

namespace TrainKit.Cli.Commands;

/// <summary>A sweep run through a trial store (`compare --workers N` / `--store URL`, and `tune`): register the
/// trials, work them off with N local workers (one runs in this process; more are child processes), then write
/// OUT/trials.csv. Returns the exit code: failure if any trial failed for good.</summary>
static class StoreSweep
{
    public static int Run(SweepDefinition definition, string folder, string? storeUrl, int workers, IAnsiConsole console, TextWriter output)
    {
        if (workers < 0) throw new ArgumentException($"--workers must be 0 or more, got {workers}");
        string url = TrialStores.ResolveUrl(storeUrl, folder);
        TrialStore store = TrialStores.Open(url);
        var cells = definition.Register(store, folder);
        string name = definition.Experiment.Name;
        console.MarkupLine($"[bold]{Markup.Escape(name)}[/]: {cells.Count} trial(s) in {Markup.Escape(store.Describe)} → {Markup.Escape(Path.GetFullPath(folder))}");
        if (workers == 0)
        {
            console.MarkupLine(Markup.Escape($"registered; start workers with: trainkit worker --store {TrialStores.Redact(url)} --sweep {name}"));
            return ExitCodes.Success;
        }
        if (workers == 1)
        {
            var worker = new SweepWorker(store, store.Sweep(name), WorkerOptions.Default())
            {
                Log = line => { lock (output) output.WriteLine(line); },
            };
            worker.Run();
        }
        else
        {
            console.MarkupLine($"{workers} worker processes × {WorkerProcesses.ThreadsPerWorker(workers)} thread(s) on {Environment.ProcessorCount} core(s)");
            int[] codes = WorkerProcesses.Run(workers, url, name, output);
            if (codes.Any(c => c != 0)) console.MarkupLine($"[yellow]worker exit codes: {string.Join(", ", codes)}[/]");
        }
        TrialCounts counts = store.Counts(name);
        string table = TrialTable.Write(store, name, folder);
        TrialsTable.Write(console, store, name);
        console.MarkupLine($"trials: {counts.Done} done, {counts.Pruned} pruned, {counts.Failed} failed, {counts.Pending + counts.Running} unfinished → {Markup.Escape(table)}");
        foreach (TrialRecord failed in store.Trials(name).Where(t => t.State == TrialState.Failed))
            console.MarkupLine($"[red]failed[/] {Markup.Escape(failed.Name)} after {failed.Attempts} attempt(s): {Markup.Escape(failed.Error ?? "")}");
        return counts.Failed > 0 || !counts.Finished ? ExitCodes.Failure : ExitCodes.Success;
    }
}
