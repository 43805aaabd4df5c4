using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;
using TrainKit.Training.Bench;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit bench step|memory`: performance checks measured as ratios within one run (this kind of
/// machine is noisy, so absolute numbers from different runs are not comparable).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks: training-step throughput against PyTorch, memory flatness, trial-store overhead.");
        bench.Subcommands.Add(Step());
        bench.Subcommands.Add(Memory());
        bench.Subcommands.Add(Store());
        return bench;
    }

    static Command Store()
    {
        var store = new Option<string?>("--store") { Description = "Trial store URL (default: a fresh SQLite file in a temp folder, removed after)." };
        var trials = new Option<int>("--trials") { Description = "Trivial trials to claim and complete.", DefaultValueFactory = _ => 200 };
        var command = new Command("store", "Store overhead: claim + complete of a trivial trial, median over --trials.") { store, trials };
        command.SetAction(parse =>
        {
            string? url = parse.GetValue(store);
            string? temp = url is null ? Directory.CreateTempSubdirectory("trainkit-bench-store-").FullName : null;
            try
            {
                var trialStore = TrainKit.Sweeps.Store.TrialStores.Open(url ?? "sqlite:" + Path.Combine(temp!, "trials.db"));
                var r = TrainKit.Sweeps.Store.StoreBenchmark.Run(trialStore, parse.GetValue(trials));
                parse.InvocationConfiguration.Output.WriteLine(FormattableString.Invariant(
                    $"{trialStore.Describe}: claim + complete over {r.Trials} trials: median {r.MedianMs:F2} ms, p90 {r.P90Ms:F2} ms, max {r.MaxMs:F2} ms"));
                return ExitCodes.Success;
            }
            finally
            {
                if (temp is not null) { Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); Directory.Delete(temp, recursive: true); }
            }
        });
        return command;
    }

    static Command Step()
    {
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds (TrainKit, then PyTorch, per model).", DefaultValueFactory = _ => 3 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per measurement.", DefaultValueFactory = _ => 10 };
        var python = new Option<string>("--python") { Description = "Python with torch for the peer (Debian: python3-torch).", DefaultValueFactory = _ => "/usr/bin/python3" };
        var peer = new Option<string>("--peer") { Description = "The peer script.", DefaultValueFactory = _ => "bench/peer/step.py" };
        var command = new Command("step", "Training-step throughput of ResNet-20 (batch 128) and the small GPT vs the same step in PyTorch, interleaved.")
        { rounds, steps, python, peer };
        command.SetAction(parse =>
        {
            string script = parse.GetValue(peer)!;
            if (!File.Exists(script)) throw new FileNotFoundException($"peer script not found: {script} (run from the repository root)", script);
            var console = CommandConsole.For(parse);
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("model").AddColumn("round").AddColumn("TrainKit ex/s").AddColumn("PyTorch ex/s").AddColumn("ratio");
            var ratios = new Dictionary<string, List<double>>();
            foreach (var (model, batch) in new[] { ("resnet20", 128), ("gpt", 32) })
                for (int round = 1; round <= parse.GetValue(rounds); round++)
                {
                    var ours = StepBenchmark.Run(model, batch, parse.GetValue(steps));
                    double theirs = Peer(parse.GetValue(python)!, script, model, batch, parse.GetValue(steps), threads: TorchSharp.torch.get_num_threads());
                    double ratio = ours.ExamplesPerSecond / theirs;
                    (ratios.TryGetValue(model, out var list) ? list : ratios[model] = []).Add(ratio);
                    table.AddRow(model, round.ToString(), $"{ours.ExamplesPerSecond:F1}", $"{theirs:F1}", $"{ratio:F2}x");
                }
            console.Write(table);
            foreach (var (model, list) in ratios)
                console.WriteLine($"{model}: median TrainKit/PyTorch throughput ratio {list.Order().ElementAt(list.Count / 2):F2}x over {list.Count} interleaved rounds");
            return ExitCodes.Success;
        });
        return command;
    }

    static double Peer(string python, string script, string model, int batch, int steps, int threads)
    {
        var start = new ProcessStartInfo(python, $"{script} --model {model} --batch {batch} --steps {steps} --threads {threads}")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"the PyTorch peer failed (exit {process.ExitCode}); is python3-torch installed? {error.Trim().Split('\n').LastOrDefault()}");
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        return json.RootElement.GetProperty("examples_per_second").GetDouble();
    }

    static Command Memory()
    {
        var steps = new Option<long>("--steps") { Description = "Training steps.", DefaultValueFactory = _ => 2000 };
        var command = new Command("memory", "Resident memory during a real training run: RSS at step 2,000 should be within 5% of step 200.") { steps };
        command.SetAction(parse =>
        {
            long n = parse.GetValue(steps);
            if (n < 400) throw new ArgumentException($"--steps must be at least 400, got {n}");
            string folder = Directory.CreateTempSubdirectory("trainkit-bench-memory-").FullName;
            var samples = MemoryBenchmark.Run(n, folder);
            var console = CommandConsole.For(parse);
            foreach (var s in samples) console.WriteLine($"step {s.Step,6}: RSS {s.ResidentMegabytes:F1} MiB");
            double at200 = samples.First(s => s.Step >= 200).ResidentMegabytes, last = samples[^1].ResidentMegabytes;
            double growth = (last - at200) / at200;
            console.WriteLine($"RSS at step {samples[^1].Step} vs step 200: {growth:+0.0%;-0.0%} ({(Math.Abs(growth) <= 0.05 ? "within" : "OUTSIDE")} the 5% target)");
            Directory.Delete(folder, recursive: true);
            return Math.Abs(growth) <= 0.05 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
