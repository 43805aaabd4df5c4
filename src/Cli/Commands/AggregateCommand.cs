using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TrainKit.Training.Reports;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit aggregate SWEEP...`: which schedule is best across sweeps, as an interquartile mean of per-sweep
/// normalized scores with stratified bootstrap intervals (see <see cref="CrossSweepAggregate"/>).</summary>
public static class AggregateCommand
{
    public static Command Create()
    {
        var sweeps = new Argument<string[]>("SWEEP") { Description = "Two or more sweep folders written by `trainkit compare`; variants are matched by name.", Arity = ArgumentArity.OneOrMore };
        var metric = new Option<string>("--metric")
        {
            Description = $"The metric to aggregate: {string.Join(", ", ComparisonMetric.Standard.Select(m => m.Key))}.",
            DefaultValueFactory = _ => "test_accuracy",
        };
        var outDir = new Option<string>("--out") { Description = "Folder for aggregate.md and aggregate.csv.", DefaultValueFactory = _ => "runs/aggregate" };
        var command = new Command("aggregate",
            "Interquartile mean over (sweep, seed) runs of each variant's per-sweep min–max normalized metric, with a stratified bootstrap 95 % CI " +
            "(strata = sweeps) and the probability of improvement between variants (Agarwal et al. 2021).")
        { sweeps, metric, outDir };
        command.SetAction(parse =>
        {
            var console = CommandConsole.For(parse);
            string folder = OutputFolder.Check("--out", parse.GetValue(outDir));
            var result = CrossSweepAggregate.Build(parse.GetValue(sweeps)!, parse.GetValue(metric)!, folder);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("variant").AddColumn(Markup.Escape("IQM [95 % CI]")).AddColumn("runs").AddColumn("sweeps").AddColumn("missing from");
            foreach (var r in result.Variants)
                table.AddRow(Markup.Escape(r.Variant), Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{r.Iqm:0.000} [{r.Ci.Low:0.000}, {r.Ci.High:0.000}]")),
                    r.Runs.ToString(CultureInfo.InvariantCulture), r.Sweeps.Count.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(r.MissingFrom.Count == 0 ? "–" : string.Join(", ", r.MissingFrom)));
            console.Write(table);
            if (result.SingleSweep.Count > 0)
                console.MarkupLine($"not aggregated (one sweep only): {Markup.Escape(string.Join(", ", result.SingleSweep.Select(s => $"{s.Variant} ({s.Sweep})")))}");
            console.MarkupLine($"written: {Markup.Escape(Path.GetFullPath(result.Markdown))}");
            return ExitCodes.Success;
        });
        return command;
    }
}
