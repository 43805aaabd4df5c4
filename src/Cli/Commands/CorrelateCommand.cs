using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TrainKit.Training.Reports;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit correlate SWEEP...`: does a sharpness measure predict generalization across the runs of several
/// sweeps, better than the train loss does? Jiang et al. 2020's protocol (see <see cref="CrossSweepCorrelation"/>).</summary>
public static class CorrelateCommand
{
    public static Command Create()
    {
        var sweeps = new Argument<string[]>("SWEEP") { Description = "Sweep folders written by `trainkit compare` (their finished cells are used).", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out") { Description = "Folder for correlation.md and correlation.csv.", DefaultValueFactory = _ => "runs/correlation" };
        var stop = new Option<double?>("--stop-at-train-loss")
        {
            Description = "Common stopping criterion: use only runs whose final train loss (summary.json train.loss) is at most this; the others are " +
                "left out and counted as never reached. TrainKit analyses the final model only, so the kept runs are measured at their end, not where they first reached it.",
        };
        var pool = new Option<bool>("--pool-budgets") { Description = "Pool cells analysed with different analysis budgets or subset sizes (refused by default, exit 2)." };
        var chance = new Option<double>("--chance-margin")
        {
            Description = "Leave out classifiers whose test accuracy is at most 1/classes plus this (stuck at chance).",
            DefaultValueFactory = _ => new CorrelationOptions().ChanceMargin,
        };
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples of configurations for τ's 95 % interval.", DefaultValueFactory = _ => new CorrelationOptions().Resamples };
        var command = new Command("correlate",
            "Kendall τ-b (with a bootstrap CI over configurations), granulated τ per hyperparameter axis and partial τ given the train loss, " +
            "of each sharpness measure and two baselines with the generalization gap, over the runs of several sweeps (Jiang et al. 2020).")
        { sweeps, outDir, stop, pool, chance, resamples };
        command.SetAction(parse =>
        {
            var console = CommandConsole.For(parse);
            string folder = OutputFolder.Check("--out", parse.GetValue(outDir));
            var options = new CorrelationOptions
            {
                StopAtTrainLoss = parse.GetValue(stop),
                PoolBudgets = parse.GetValue(pool),
                ChanceMargin = parse.GetValue(chance),
                Resamples = parse.GetValue(resamples),
            };
            var result = CrossSweepCorrelation.Build(parse.GetValue(sweeps)!, options, folder);
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("gap").AddColumn("measure").AddColumn(Markup.Escape("Kendall τ [95 % CI]")).AddColumn("Ψ").AddColumn("partial τ | train loss").AddColumn("runs").AddColumn("configs");
            foreach (var r in result.Rows)
                table.AddRow(Markup.Escape(r.Gap.Title), Markup.Escape(r.Measure.Title), Markup.Escape($"{Signed(r.Tau)} [{Signed(r.TauCi.Low)}, {Signed(r.TauCi.High)}]"),
                    Signed(r.Granulated?.Psi ?? double.NaN), Signed(r.PartialTau), r.Runs.ToString(CultureInfo.InvariantCulture), r.Configurations.ToString(CultureInfo.InvariantCulture));
            console.Write(table);
            var excluded = result.Selection.Excluded;
            console.MarkupLine($"runs kept: {result.Selection.Runs.Count}, left out: {excluded.Count}" +
                (excluded.Count == 0 ? "" : $" ({Markup.Escape(string.Join(", ", excluded.GroupBy(e => e.Reason).Select(g => $"{g.Count()} {CrossSweepCorrelation.Describe(g.Key)}")))}; listed in correlation.md)"));
            console.MarkupLine($"written: {Markup.Escape(Path.GetFullPath(result.Markdown))}");
            return ExitCodes.Success;
        });
        return command;
    }

    static string Signed(double value) => double.IsFinite(value) ? value.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture) : "–";
}
