using System.CommandLine;
using System.Globalization;
using TrainKit.Sweeps.Store;
using TrainKit.Sweeps.Workers;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit worker --store URL`: join a sweep registered in a trial store and train its trials until
/// none is left. Run any number, on any machine that reaches the store (and, to resume each other's checkpoints,
/// shares the sweep folder).</summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var store = new Option<string?>("--store") { Description = $"Trial store: sqlite:PATH or postgresql://USER:PASSWORD@HOST:PORT/DB (default: ${TrialStores.EnvironmentVariable})." };
        var sweep = new Option<string?>("--sweep") { Description = "The sweep to work on (needed only when the store holds several)." };
        var outDir = new Option<string?>("--out") { Description = "The sweep folder on this machine (default: the one the sweep was registered with)." };
        var threads = new Option<int?>("--threads") { Description = "Torch intra-op threads for this worker (default: libtorch's choice)." };
        var lease = new Option<double>("--lease") { Description = "Lease length in seconds: a dead worker's trial is claimed again after this.", DefaultValueFactory = _ => 60 };
        var maxAttempts = new Option<int>("--max-attempts") { Description = "Claims per trial before it is marked failed.", DefaultValueFactory = _ => 3 };
        var command = new Command("worker", "Pull trials from a trial store and train them until the sweep is finished.")
        { store, sweep, outDir, threads, lease, maxAttempts };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            string url = parse.GetValue(store) ?? Environment.GetEnvironmentVariable(TrialStores.EnvironmentVariable)
                ?? throw new ArgumentException($"give --store URL (or set {TrialStores.EnvironmentVariable})");
            if (parse.GetValue(threads) is int n)
            {
                if (n < 1) throw new ArgumentException($"--threads must be at least 1, got {n}");
                TorchSharp.torch.set_num_threads(n);
            }
            TrialStore trialStore = TrialStores.Open(url);
            SweepRecord record = trialStore.Sweep(parse.GetValue(sweep));
            var options = new WorkerOptions(WorkerOptions.NewId(), TimeSpan.FromSeconds(parse.GetValue(lease)), parse.GetValue(maxAttempts),
                TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(lease) / 4, 0.2, 2)), parse.GetValue(outDir)).Validate();
            output.WriteLine($"worker {options.Id}: sweep '{record.Name}' in {trialStore.Describe}");
            var worker = new SweepWorker(trialStore, record, options)
            {
                Log = line => { lock (output) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.UtcNow:HH:mm:ss}] {line}")); },
            };
            WorkerOutcome outcome = worker.Run();
            output.WriteLine($"worker {options.Id}: {outcome.Done} done, {outcome.Pruned} pruned, {outcome.Failed} failed attempt(s), {outcome.LeasesLost} lease(s) lost");
            return ExitCodes.Success;
        });
        return command;
    }
}
