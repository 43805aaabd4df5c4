using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Tasks;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit lr-find`: the LR range test (Smith 2017, fastai) on a run configuration.</summary>
public static class LrFindCommand
{
    public static Command Create()
    {
        var run = new RunOptions();
        var start = new Option<double>("--start-lr") { Description = "First lr of the exponential ramp.", DefaultValueFactory = _ => 1e-6 };
        var end = new Option<double>("--end-lr") { Description = "Last lr of the ramp.", DefaultValueFactory = _ => 10 };
        var iterations = new Option<int>("--iterations") { Description = "Steps of the ramp (it stops early at divergence).", DefaultValueFactory = _ => 100 };
        var command = new Command("lr-find", "LR range test: exponential lr ramp, smoothed loss, stop at divergence, weights restored; suggests lrs and plots loss vs lr.")
        { start, end, iterations };
        run.AddTo(command);
        command.SetAction(parse =>
        {
            var config = run.Resolve(parse);
            double startLr = parse.GetValue(start), endLr = parse.GetValue(end);
            int steps = parse.GetValue(iterations);
            if (!(startLr > 0) || !double.IsFinite(startLr)) throw new ArgumentException($"--start-lr must be a positive finite number, got {startLr}");
            if (!(endLr > startLr) || !double.IsFinite(endLr)) throw new ArgumentException($"--end-lr must be a finite number above --start-lr ({startLr}), got {endLr}");
            if (steps < 2 || steps > 100_000) throw new ArgumentException($"--iterations must be in [2, 100000], got {steps}");
            RunConfigValidator.Validate(config);
            string outDir = OutputFolder.Check("--out", config.Out);
            using var task = TrainCommand.CreateTask(config, CommandConsole.For(parse));
            var optimizer = OptimizerFactory.Create(config.Optimizer, task.Model);
            var result = LrRangeTest.Run(task, optimizer, startLr, endLr, steps);
            Directory.CreateDirectory(outDir);
            File.WriteAllLines(Path.Combine(outDir, "lr_find.csv"),
                ["lr,smoothed_loss", .. result.Lrs.Zip(result.SmoothedLosses, (lr, loss) => string.Create(CultureInfo.InvariantCulture, $"{lr:R},{loss:R}"))]);
            var plot = new ScottPlot.Plot();
            plot.Add.ScatterLine(result.Lrs.Select(Math.Log10).ToArray(), result.SmoothedLosses.ToArray());
            foreach (var (name, lr) in new[] { ("valley", result.Valley), ("steepest", result.Steepest), ("min/10", result.MinimumOverTen) })
                plot.Add.VerticalLine(Math.Log10(lr)).LegendText = $"{name} {lr:G3}";
            plot.ShowLegend();
            plot.Title("LR range test");
            plot.XLabel("log10 lr");
            plot.YLabel("smoothed training loss");
            plot.SavePng(Path.Combine(outDir, "lr_find.png"), 800, 450);

            var console = CommandConsole.For(parse);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("suggestion").AddColumn("lr");
            table.AddRow("valley (fastai default)", result.Valley.ToString("G3", CultureInfo.InvariantCulture));
            table.AddRow("steepest descent", result.Steepest.ToString("G3", CultureInfo.InvariantCulture));
            table.AddRow("minimum / 10", result.MinimumOverTen.ToString("G3", CultureInfo.InvariantCulture));
            console.Write(table);
            console.WriteLine($"{result.Lrs.Count} steps{(result.StoppedAtDivergence ? ", stopped at divergence" : "")}; weights restored; lr_find.csv and lr_find.png in {outDir}");
            return ExitCodes.Success;
        });
        return command;
    }
}
