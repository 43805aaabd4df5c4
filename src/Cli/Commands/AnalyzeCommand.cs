using System.CommandLine;
using Spectre.Console;
using TrainKit.Analysis;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.RunAnalysis;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit analyze RUN_DIR`: sharpness and landscape figures of a run's final model, and the
/// snapshot ensemble when the run kept snapshots (snapshot_epochs).</summary>
public static class AnalyzeCommand
{
    public static Command Create()
    {
        var runDir = new Argument<DirectoryInfo>("RUN_DIR") { Description = "A folder written by `trainkit train`." };
        var examples = new Option<string>("--examples")
        {
            Description = "Training examples the Hessian is taken over: a count (the first N, unaugmented) or 'all' (the training-loss Hessian, e.g. for full-batch GD).",
            DefaultValueFactory = _ => "1000",
        };
        var landscape = new Option<int?>("--landscape-points") { Description = "Points of the 1D filter-normalized slice (0: none; default: the budget's)." };
        var budget = new Option<string>("--budget")
        {
            Description = "standard (default: every figure but Jiang's PAC-Bayes and power iteration; " + AnalyzeTiming.Standard + "), " +
                          "quick (a first look), or full (PyHessian budgets, Jiang's PAC-Bayes, subset bootstrap; " + AnalyzeTiming.Full + ").",
            DefaultValueFactory = _ => "standard",
        };
        var quick = new Option<bool>("--quick") { Description = "Same as --budget quick." };
        var full = new Option<bool>("--full") { Description = "Same as --budget full." };
        var trainMode = new Option<bool>("--train-mode-hessian") { Description = "Take the Hessian in train mode (BatchNorm batch statistics: the one SGD's stability depends on) instead of eval mode." };
        var perLayer = new Option<bool>("--per-layer") { Description = "Also λ_max and trace of each module's diagonal Hessian block (analysis.json per_layer; costs modules × 15 HVPs)." };
        var command = new Command("analyze", "Hessian eigenvalues (λ_max, top-k, λ_min), trace, density, ε/ρ/adaptive sharpness, PAC-Bayes σ′ and landscapes of a run's final model; writes RUN_DIR/analysis.json.")
        { runDir, examples, landscape, budget, quick, full, trainMode, perLayer };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(quick) ? "quick" : parse.GetValue(full) ? "full" : parse.GetValue(budget)!;
            if (parse.GetValue(quick) && parse.GetValue(full)) throw new ArgumentException("give --quick or --full, not both");
            var options = AnalysisPresets.Named(name) with
            {
                HessianMode = parse.GetValue(trainMode) ? HessianMode.Train : HessianMode.Eval,
                RunPerLayer = parse.GetValue(perLayer),
            };
            if (parse.GetValue(landscape) is int points) options = options with { Landscape1DPoints = points };
            int? count = ParseExamples(parse.GetValue(examples)!);
            string folder = parse.GetValue(runDir)!.FullName;
            var console = CommandConsole.For(parse);
            var error = Console.Error;
            AnalysisReport report = RunFolderAnalysis.Analyze(folder, options, count, progress: p =>
            {
                string left = p.RemainingSeconds is double r ? $", ≤ ~{r:F0} s left" : "";
                error.WriteLine(p.Finished
                    ? $"[{p.Index}/{p.Count}] {p.Estimator} done at {p.ElapsedSeconds:F1} s{left}"
                    : $"[{p.Index}/{p.Count}] {p.Estimator} …{left}");
            });
            console.WriteLine($"subset: {report.Subset?.Examples} examples ({report.Subset?.Selection}); Hessian in {report.Model.Mode} mode, {report.Model.HessianOf}");
            var table = new Table().Border(TableBorder.Rounded).AddColumn("figure").AddColumn("value").AddColumn("cost");
            void Row(string name, double? value, string cost) { if (value is double v) table.AddRow(Markup.Escape(name), v.ToString("G5"), Markup.Escape(cost)); }
            Row("λ_max (Lanczos)", report.LambdaMax?.Lanczos?.Value, $"{report.LambdaMax?.Lanczos?.Hvps} HVPs");
            Row("λ_max (power iteration)", report.LambdaMax?.Power?.Value, $"{report.LambdaMax?.Power?.Hvps} HVPs");
            Row("λ_min (Lanczos on −H)", report.LambdaMin?.Lanczos.Value, $"{report.LambdaMin?.Lanczos.Hvps} HVPs, converged {report.LambdaMin?.Lanczos.Converged}");
            Row("λ_max subset bootstrap stddev", report.Subset?.Bootstrap?.Stddev, $"{report.Subset?.Bootstrap?.Runs} resamples");
            Row("λ_max·‖w‖² (scale-aware)", report.ScaleAware?.LambdaMaxTimesWeightNormSq.Value, "");
            Row("filter-normalized λ_max (scale-aware)", report.ScaleAware?.FilterNormalizedLambdaMax.Value, $"{report.ScaleAware?.FilterNormalizedLambdaMax.Hvps} HVPs");
            if (report.PreconditionedLambdaMax is { } pre)
                Row("preconditioned λ_max (Adam, P⁻¹H)", pre.Lanczos.Value,
                    $"{pre.RatioToThreshold:P1} of Adam's threshold {pre.Threshold:G4} = (2 + 2β1)/((1 − β1)·lr), {pre.Lanczos.Hvps} HVPs");
            Row("trace (Hutchinson)", report.Trace?.Hutchinson.Value, $"± {report.Trace?.Hutchinson.Stderr:G3}, {report.Trace?.Hutchinson.Hvps} HVPs");
            Row("ε-sharpness (Keskar)", report.EpsSharpness?.Keskar.Value, $"second-order part {report.EpsSharpness?.Keskar.SecondOrder:G3}");
            Row("ρ-sharpness (SAM)", report.RhoSharpness?.SamFirstOrder.Value, $"second-order part {report.RhoSharpness?.SamFirstOrder.SecondOrder:G3}");
            Row("adaptive sharpness (ASAM)", report.AdaptiveSharpness?.Asam?.Value, $"second-order part {report.AdaptiveSharpness?.Asam?.SecondOrder:G3}");
            Row("average-case adaptive sharpness", report.AdaptiveSharpness?.AverageCase?.Value,
                $"± {report.AdaptiveSharpness?.AverageCase?.StandardError:G3}, {report.AdaptiveSharpness?.AverageCase?.Samples} samples, ρ {report.AdaptiveSharpness?.AverageCase?.Rho:G3}");
            Row($"worst-case adaptive m-sharpness (m = {report.AdaptiveSharpness?.MSharpness?.M})", report.AdaptiveSharpness?.MSharpness?.Value,
                $"± {report.AdaptiveSharpness?.MSharpness?.StandardError:G3} over {report.AdaptiveSharpness?.MSharpness?.Chunks} chunks, second-order part {report.AdaptiveSharpness?.MSharpness?.SecondOrder:G3}");
            Row("PAC-Bayes σ′ (cross-entropy +0.1)", report.PacBayes?.MagnitudeAwareSigma?.Value,
                $"[{report.PacBayes?.MagnitudeAwareSigma?.SigmaLower:G3}, {report.PacBayes?.MagnitudeAwareSigma?.SigmaUpper:G3}]");
            Row("PAC-Bayes σ′ (Jiang et al., accuracy −0.1)", report.PacBayes?.Jiang?.Sigma,
                $"[{report.PacBayes?.Jiang?.SigmaLower:G3}, {report.PacBayes?.Jiang?.SigmaUpper:G3}], BN folded {report.PacBayes?.Jiang?.BatchNormFolded}");
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

    static int? ParseExamples(string text)
    {
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase)) return null;
        if (int.TryParse(text, out int n) && n >= 1) return n;
        throw new ArgumentException($"--examples must be a positive count or 'all', got '{text}'");
    }
}

/// <summary>Measured wall times quoted in --help (ANALYSIS.md, "Cost", has the commands).</summary>
static class AnalyzeTiming
{
    // Measured 2026-12-06 on the 2-core development VM, load ≈ 1 (tools/sharpness/resnet20-1epoch.json, 1,000 examples):
    // 76 HVPs at 4.6–5.2 s each, 404.8 s of analysis, 405.6 s wall (ANALYSIS.md, "Budgets and cost").
    public const string Standard = "ResNet-20 on 1,000 examples: about 7 min on a 2-core CPU (76 HVPs of about 5 s)";
    public const string Full = "about 2-3x the HVPs of standard";
}
