using System.CommandLine;
using Spectre.Console;
using TrainKit.Training.Reports;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit correlate SWEEP...`: does sharpness predict generalization across the runs of several sweeps?</summary>
public static class CorrelateCommand
{
    public static Command Create()
    {
        var sweeps = new Argument<string[]>("SWEEP") { Description = "Sweep folders written by `trainkit compare` (finished cells are used).", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out") { Description = "Folder for correlation.md and correlation.csv.", DefaultValueFactory = _ => "runs/correlation" };
        var command = new Command("correlate", "Kendall τ of each sharpness measure with the generalization gap, pooled over sweeps and per sweep.")
        { sweeps, outDir };
        command.SetAction(parse =>
        {
            var console = CommandConsole.For(parse);
            string folder = parse.GetValue(outDir)!;
            var rows = CrossSweepCorrelation.Build(parse.GetValue(sweeps)!, folder);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("scope").AddColumn("gap").AddColumn("measure").AddColumn("Kendall τ").AddColumn("cells");
            foreach (var r in rows) table.AddRow(Markup.Escape(r.Scope), Markup.Escape(r.Gap), Markup.Escape(r.Measure), $"{r.Tau:+0.000;-0.000;0.000}", r.Cells.ToString());
            console.Write(table);
            console.MarkupLine($"written: {Markup.Escape(Path.GetFullPath(Path.Combine(folder, "correlation.md")))}");
            return ExitCodes.Success;
        });
        return command;
    }
}
