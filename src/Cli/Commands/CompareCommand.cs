using System.CommandLine;
using Spectre.Console;
using TrainKit.Sweeps.Pruning;
using TrainKit.Sweeps.Store;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;
using TrainKit.Training.Tasks;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit compare`: train every (schedule × seed) cell of an experiment, analyse each final
/// model, and write the comparison report. Resumable and shardable over machines.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var preset = new Option<string?>("--preset") { Description = $"A built-in experiment: {string.Join(", ", Presets.Names)}." };
        var experiment = new Option<FileInfo?>("--experiment") { Description = "A custom experiment (JSON: name, base config, variants, seeds)." };
        var outDir = new Option<string?>("--out") { Description = "Sweep folder (default: runs/NAME). Shards share it." };
        var shard = new Option<string?>("--shard") { Description = "Run only cells I, I+N, I+2N, ... (I/N, 0-based), e.g. from a job array." };
        var seeds = new Option<int?>("--seeds") { Description = "Use seeds 0..N-1 instead of the preset's." };
        var noReport = new Option<bool>("--no-report") { Description = "Only run cells (shards); assemble later with --report-only." };
        var reportOnly = new Option<string?>("--report-only") { Description = "Assemble the report of a sweep folder from whatever cells have finished." };
        var listCells = new Option<bool>("--list-cells") { Description = "Print the cells (of the shard, if given) and their count, then exit: size a job array with it." };
        var workers = new Option<int?>("--workers") { Description = "Run the cells from a trial store with N worker processes on this machine (0: only register the sweep for `trainkit worker`s elsewhere)." };
        var store = new Option<string?>("--store") { Description = $"Trial store: sqlite:PATH or postgresql://USER:PASSWORD@HOST:PORT/DB (default with --workers: OUT/trials.db, or ${TrainKit.Sweeps.Store.TrialStores.EnvironmentVariable})." };
        var asha = new Option<FileInfo?>("--asha") { Description = "Prune weak cells with ASHA (JSON: metric, mode, min_resource, reduction_factor, max_resource, unit epochs|steps); needs --workers or --store." };
        var command = new Command("compare", "Compare schedules: train every cell of an experiment, analyse sharpness, write report.html.")
        { preset, experiment, outDir, shard, seeds, noReport, reportOnly, listCells, workers, store, asha };
        command.SetAction(parse =>
        {
            var console = CommandConsole.For(parse);
            string commandLine = "trainkit " + string.Join(' ', parse.Tokens.Select(t => t.Value));
            if (parse.GetValue(reportOnly) is string existing)
                return Report(existing, console, commandLine);

            if (parse.GetValue(seeds) is int seedCount && seedCount < 1)
                throw new ArgumentException($"--seeds must be at least 1 (it runs seeds 0..N-1), got {seedCount}");
            ExperimentSpec spec = (parse.GetValue(preset), parse.GetValue(experiment)) switch
            {
                (string name, null) => Presets.Get(name, parse.GetValue(seeds)),
                (null, FileInfo file) => LoadExperiment(file.FullName, parse.GetValue(seeds)),
                (null, null) => throw new ArgumentException($"give --preset NAME ({string.Join(", ", Presets.Names)}) or --experiment FILE.json"),
                _ => throw new ArgumentException("give either --preset or --experiment, not both"),
            };
            string outPath = parse.GetValue(outDir) ?? Path.Combine("runs", spec.Name);
            Shard part = parse.GetValue(shard) is string text ? Shard.Parse(text) : Shard.All;
            // Listing writes nothing: it sizes a job array before any folder exists.
            if (parse.GetValue(listCells))
                return ListCells(spec, new Sweep(spec, outPath), part, parse.InvocationConfiguration.Output);
            string folder = OutputFolder.Check("--out", outPath);
            var sweep = new Sweep(spec, folder);
            // Every cell this process may train is checked before the first one starts (exit 2 at once, not after hours).
            var ownedCells = sweep.Cells().Where(part.Owns).ToList();
            foreach (Cell done in ownedCells.Where(sweep.IsDone)) sweep.CheckFinishedMatches(done);
            SweepPreflight.Check(spec, ownedCells.Where(c => !sweep.IsDone(c)), StepsPerEpoch);
            FileInfo? ashaFile = parse.GetValue(asha);
            if (ashaFile is not null && parse.GetValue(workers) is null && parse.GetValue(store) is null)
                throw new ArgumentException("--asha prunes trials in a trial store: add --workers N (or --store URL)");
            if (parse.GetValue(workers) is not null || parse.GetValue(store) is not null)
            {
                if (part != Shard.All) throw new ArgumentException("--shard splits a sweep statically; with --workers/--store workers claim cells dynamically: give one or the other");
                var pruner = ashaFile is null ? null : AshaFile.Load(ashaFile.FullName).CheckCells(sweep.Cells(), StepsPerEpoch);
                int code = StoreSweep.Run(new TrainKit.Sweeps.Workers.SweepDefinition(spec, pruner), folder, parse.GetValue(store), parse.GetValue(workers) ?? 1, console, parse.InvocationConfiguration.Output);
                if (parse.GetValue(noReport) || parse.GetValue(workers) == 0) return code;
                return Math.Max(code, Report(folder, console, commandLine, pruner is null ? null : RungFigure(pruner, spec, folder, parse.GetValue(store))));
            }
            int owned = ownedCells.Count;

            console.MarkupLine($"[bold]{Markup.Escape(spec.Name)}[/]: {owned} cell(s) in shard {part} → {Markup.Escape(Path.GetFullPath(folder))}");
            SweepOutcome outcome = null!;
            if (ProgressLines.Wanted(console))
            {
                // A log (Slurm, CI): one line per logging interval of the running cell and one when it ends, never a redraw.
                ProgressLines? lines = null;
                int position = 0;
                outcome = sweep.Run(part,
                    (cell, cellFolder) => CellRunner.Run(spec, cell, cellFolder, p => lines!.Report(p)),
                    (cell, state) =>
                    {
                        if (state == CellState.Started) lines = new ProgressLines(console, $"[{++position}/{owned} {cell.Name}] ");
                        else if (state == CellState.Skipped) ProgressLines.WriteLine(console, $"[{++position}/{owned} {cell.Name}] skipped: already finished");
                        else ProgressLines.WriteLine(console, $"[{position}/{owned} {cell.Name}] finished");
                    });
            }
            else console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var overall = ctx.AddTask("cells", maxValue: Math.Max(1, owned));
                    ProgressTask? current = null;
                    outcome = sweep.Run(part,
                        (cell, cellFolder) => CellRunner.Run(spec, cell, cellFolder, p =>
                        {
                            current!.MaxValue = p.TotalSteps;
                            current.Value = p.Step;
                            current.Description = $"  {cell.Name}: step {p.Step}/{p.TotalSteps} loss {p.Loss:F3}";
                        }),
                        (cell, state) =>
                        {
                            if (state == CellState.Started) current = ctx.AddTask($"  {cell.Name}", maxValue: 1);
                            else { overall.Increment(1); if (current is not null) current.Value = current.MaxValue; }
                        });
                });
            console.MarkupLine($"ran {outcome.Ran} cell(s), skipped {outcome.Skipped} already finished");
            return parse.GetValue(noReport) ? ExitCodes.Success : Report(folder, console, commandLine);
        });
        return command;
    }

    /// <summary>One line per cell (index, name) and a closing count, plain text so scripts can read it:
    /// <c>cells: N</c> is the size of a job array (Slurm <c>--array=0-(N-1)</c>, a Kubernetes Indexed Job's completions).</summary>
    static int ListCells(ExperimentSpec spec, Sweep sweep, Shard part, TextWriter output)
    {
        var cells = sweep.Cells().Where(part.Owns).ToList();
        foreach (Cell cell in cells)
            output.WriteLine($"{cell.Index}\t{cell.Name}");
        output.WriteLine(part == Shard.All ? $"cells: {cells.Count}" : $"cells: {cells.Count} (shard {part} of {sweep.Cells().Count})");
        return ExitCodes.Success;
    }

    static ExperimentSpec LoadExperiment(string path, int? seeds)
    {
        ExperimentSpec spec = Sweep.LoadSpec(path);
        return seeds is int n ? spec with { Seeds = [.. Enumerable.Range(0, n).Select(i => (long)i)] } : spec;
    }

    /// <summary>The pruner's rung chart in the report folder (every trial, pruned ones included), for the report to show.</summary>
    static IReadOnlyList<ReportFigure>? RungFigure(AshaConfig asha, ExperimentSpec spec, string folder, string? storeUrl)
    {
        TrialStore store = TrialStores.ForSweep(storeUrl, folder);
        string file = Path.Combine(folder, "report", RungChart.FileName);
        return RungChart.Save(RungChart.Paths(store, spec, asha, folder), asha, file)
            ? [new ReportFigure(RungChart.FileName, $"ASHA: {asha.Metric} at each rung per trial (pruned dashed, cut at the cross; the tables above cover the cells that ran to the end)")]
            : null;
    }

    static int Report(string folder, IAnsiConsole console, string commandLine, IReadOnlyList<ReportFigure>? figures = null)
    {
        ExperimentSpec spec = Sweep.ReadLayout(folder);
        var result = ReportBuilder.Build(folder, Verdicts.For(spec.Name), commandLine, figures);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("schedule").AddColumn("seeds");
        string[] shown = ["test_accuracy", "test_loss", "loss_gap", "lambda_max", "trace", "pac_bayes_sigma"];
        var measures = SummaryMeasure.Standard.Where(m => shown.Contains(m.Key)).ToList();
        foreach (var m in measures) table.AddColumn(m.Title);
        foreach (var s in result.Summaries)
            table.AddRow([Markup.Escape(s.Variant), s.Diverged > 0 ? $"{s.Seeds} ({s.Diverged} diverged)" : s.Seeds.ToString(),
                .. measures.Select(m => Markup.Escape(s.Measures[m.Key]?.ToString(m.Format) ?? "–"))]);
        console.Write(table);
        foreach (var v in result.Verdicts)
            console.MarkupLine($"{v.Outcome switch { VerdictOutcome.Reproduced => "[green]reproduced[/]", VerdictOutcome.NotReproduced => "[red]not_reproduced[/]", VerdictOutcome.NotTestable => "[grey]not_testable[/]", _ => "[yellow]inconclusive[/]" }} ({v.Seeds} seeds): {Markup.Escape(v.Claim)}\n  {Markup.Escape(v.Evidence)}");
        foreach (var r in result.Comparison.Where(r => r.Metric == "test_accuracy" || r.Metric == "test_loss"))
            console.MarkupLine(Markup.Escape(FormattableString.Invariant($"  {r.Variant} vs {r.Baseline}, {r.Metric}: {r.Difference.MeanDiff:+0.0000;-0.0000;0} [{r.Difference.Ci.Low:+0.0000;-0.0000;0}, {r.Difference.Ci.High:+0.0000;-0.0000;0}] over {r.Difference.Pairs} seed(s): {r.OutcomeName}")));
        console.MarkupLine($"report: {Markup.Escape(result.Html)} (paired comparison: {Markup.Escape(Path.Combine(result.Folder, ComparisonTable.FileName))})");
        return ExitCodes.Success;
    }

    static long StepsPerEpoch(RunConfig config)
    {
        using var task = TrainingTasks.Create(config);
        return task.StepsPerEpoch;
    }
}
