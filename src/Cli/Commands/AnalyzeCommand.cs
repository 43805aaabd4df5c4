using System.CommandLine;
using Spectre.Console;
using TrainKit.Training.Analysis;
using TrainKit.Training.Checkpoints;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit analyze RUN_DIR`: sharpness and landscape figures of a run's final model, and the
/// snapshot ensemble when the run kept snapshots (snapshot_epochs).</summary>
public static class AnalyzeCommand
{
    public static Command Create()
    {
        var runDir = new Argument<DirectoryInfo>("RUN_DIR") { Description = "A folder written by `trainkit train`." };
        var examples = new Option<int>("--examples") { Description = "Size of the fixed training subset the Hessian is taken over.", DefaultValueFactory = _ => 1000 };
        var landscape = new Option<int>("--landscape-points") { Description = "Points of the 1D filter-normalized slice (0: none).", DefaultValueFactory = _ => 21 };
        var quick = new Option<bool>("--quick") { Description = "Cheaper settings (fewer iterations and probes) for a first look." };
        var command = new Command("analyze", "Hessian eigenvalues, trace, density, ε/ρ-sharpness, PAC-Bayes σ′ and landscapes of a run's final model; writes RUN_DIR/analysis.json.")
        { runDir, examples, landscape, quick };
        command.SetAction(parse =>
        {
            var options = parse.GetValue(quick) ? AnalysisPresets.Quick : new SharpnessAnalysisOptions();
            options = options with { Landscape1DPoints = parse.GetValue(landscape) };
            string folder = parse.GetValue(runDir)!.FullName;
            AnalysisReport report = RunFolderAnalysis.Analyze(folder, options, parse.GetValue(examples));
            var console = CommandConsole.For(parse);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("figure").AddColumn("value").AddColumn("cost");
            void Row(string name, double? value, string cost) { if (value is double v) table.AddRow(Markup.Escape(name), v.ToString("G5"), Markup.Escape(cost)); }
            Row("λ_max (Lanczos)", report.LambdaMax?.Lanczos?.Value, $"{report.LambdaMax?.Lanczos?.Hvps} HVPs");
            Row("λ_max (power iteration)", report.LambdaMax?.Power?.Value, $"{report.LambdaMax?.Power?.Hvps} HVPs");
            Row("λ_max·‖w‖² (scale-aware)", report.ScaleAware?.LambdaMaxTimesWeightNormSq.Value, "");
            Row("filter-normalized λ_max (scale-aware)", report.ScaleAware?.FilterNormalizedLambdaMax.Value, $"{report.ScaleAware?.FilterNormalizedLambdaMax.Hvps} HVPs");
            Row("trace (Hutchinson)", report.Trace?.Hutchinson.Value, $"± {report.Trace?.Hutchinson.Stderr:G3}, {report.Trace?.Hutchinson.Hvps} HVPs");
            Row("ε-sharpness (Keskar)", report.EpsSharpness?.Keskar.Value, "");
            Row("ρ-sharpness (SAM)", report.RhoSharpness?.SamFirstOrder.Value, "");
            Row("PAC-Bayes σ′", report.PacBayes?.MagnitudeAwareSigma.Value, "");
            console.Write(table);
            console.WriteLine($"analysis.json and plots written to {folder} ({report.Total.Hvps} HVPs, {report.Total.Seconds:F1} s)");
            if (ModelSnapshots.List(folder).Count > 0)
            {
                var ensemble = SnapshotEnsemble.ForRunFolder(folder);
                var snapshots = new Table().Border(TableBorder.Rounded).AddColumn("snapshots averaged").AddColumn("from epoch").AddColumn("test accuracy").AddColumn("test loss");
                foreach (var e in ensemble.Ensembles)
                    snapshots.AddRow(e.Members.ToString(), $"{e.FirstEpoch:0.##}", $"{e.TestAccuracy:P2}", $"{e.TestLoss:F4}");
                console.Write(snapshots);
                console.WriteLine($"{SnapshotEnsemble.FileName} written ({ensemble.TestExamples} test examples)");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
