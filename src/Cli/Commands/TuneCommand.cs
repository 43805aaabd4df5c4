using System.CommandLine;
using Spectre.Console;
using TrainKit.Sweeps.Pruning;
using TrainKit.Sweeps.Store;
using TrainKit.Sweeps.Tuning;
using TrainKit.Sweeps.Workers;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;
using TrainKit.Training.Tasks;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit tune`: seeded random search over a schedule space. Each drawn trial is a cell in a trial store,
/// worked off by local (and any remote) workers, ASHA pruning when the space names it; then the ranked report.</summary>
public static class TuneCommand
{
    public static Command Create()
    {
        var space = new Option<FileInfo>("--space") { Description = "The search space (JSON: name, base, schedules with params distributions, overrides, metric, mode, asha).", Required = true };
        var trials = new Option<int>("--trials") { Description = "How many trials to draw.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Seeds the sampler and every trial's run: the same seed draws the same trials.", DefaultValueFactory = _ => 0 };
        var store = new Option<string?>("--store") { Description = "Trial store: sqlite:PATH or postgresql://… (default OUT/trials.db)." };
        var workers = new Option<int>("--workers") { Description = "Worker processes on this machine (0: only register, for `trainkit worker`s elsewhere).", DefaultValueFactory = _ => 1 };
        var outDir = new Option<string?>("--out") { Description = "Sweep folder (default: runs/NAME)." };
        var command = new Command("tune", "Search schedules: draw trials from a space, train them from a trial store (ASHA if named), rank them.")
        { space, trials, seed, store, workers, outDir };
        command.SetAction(parse =>
        {
            var console = CommandConsole.For(parse);
            string commandLine = "trainkit " + string.Join(' ', parse.Tokens.Select(t => t.Value));
            SearchSpace searchSpace = SearchSpace.Load(parse.GetValue(space)!.FullName);
            ExperimentSpec spec = searchSpace.Sample(parse.GetValue(trials), parse.GetValue(seed));
            string folder = OutputFolder.Check("--out", parse.GetValue(outDir) ?? Path.Combine("runs", spec.Name));
            var sweep = new Sweep(spec, folder);
            var cells = sweep.Cells(); // an unknown override key fails here, naming the trial and the key
            searchSpace.CheckCells(cells);
            SweepPreflight.Check(spec, cells.Where(c => !sweep.IsDone(c)), StepsPerEpoch);
            AshaConfig? asha = searchSpace.Asha?.CheckCells(cells, StepsPerEpoch);
            int code = StoreSweep.Run(new SweepDefinition(spec, asha), folder, parse.GetValue(store), parse.GetValue(workers), console, parse.InvocationConfiguration.Output);
            if (parse.GetValue(workers) == 0) return code;

            TrialStore trialStore = TrialStores.Open(TrialStores.ResolveUrl(parse.GetValue(store), folder));
            var ranked = TuneReport.Rank(trialStore, spec, searchSpace, folder);
            var rungs = asha is null ? null : RungChart.Paths(trialStore, spec, asha, folder);
            string dir = TuneReport.Write(ranked, spec, searchSpace, folder, commandLine, rungs);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("rank").AddColumn("trial").AddColumn("state").AddColumn("kind").AddColumn(searchSpace.Metric);
            foreach (var r in ranked)
                table.AddRow(r.Rank.ToString(), r.Name, r.State == TrialState.Pruned ? "[yellow]pruned[/]" : TrialStates.Name(r.State), Markup.Escape(r.Kind),
                    r.Metric?.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) ?? "–");
            console.Write(table);
            console.MarkupLine($"tune report: {Markup.Escape(Path.Combine(dir, "trials.md"))}" +
                (File.Exists(Path.Combine(dir, "best_run.json")) ? $"; best config: {Markup.Escape(Path.Combine(dir, "best_run.json"))}" : ""));
            return code;
        });
        return command;
    }

    static long StepsPerEpoch(RunConfig config)
    {
        using var task = TrainingTasks.Create(config);
        return task.StepsPerEpoch;
    }
}
