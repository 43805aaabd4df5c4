using System.Diagnostics;
using TrainKit.Analysis;
using TrainKit.Training.RunAnalysis;
using static TorchSharp.torch;

namespace TrainKit.Benchmarks;

/// <summary>
/// Console mode: one trained small model, every estimator once, its value and cost (HVPs / gradients / loss
/// evaluations, seconds), plus λ_max accuracy of Lanczos and power iteration against a long Lanczos reference.
/// <code>dotnet run -c Release --project bench/TrainKit.Benchmarks -- sharpness [analysis-examples] [output-folder] [torch-threads]</code>
/// </summary>
public static class SharpnessReport
{
    public static int Run(string[] args)
    {
        int examples = args.Length > 0 ? int.Parse(args[0]) : 2048;
        string folder = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "trainkit-sharpness-report");
        if (args.Length > 2) set_num_threads(int.Parse(args[2]));   // 1 avoids OpenMP spin-waits on a shared, oversubscribed machine
        Console.WriteLine($"torch threads {get_num_threads()}, analysis examples {examples}, output {folder}");
        var bench = new SharpnessBenchModel(analysisExamples: examples);
        Console.WriteLine($"trained tiny CNN ({bench.Model.parameters().Sum(p => p.numel())} parameters) in {bench.TrainSeconds:F1} s");

        // λ_max accuracy: Lanczos (≤ 30 HVPs, tol 1e-3) and PyHessian power iteration vs a 50-step Lanczos reference.
        var hessian = new ModelHessian(bench.Model, SharpnessBenchModel.CrossEntropy, bench.Batches);
        var clock = Stopwatch.StartNew();
        using (var warm = hessian.Multiply(zeros(hessian.Dimension, ScalarType.Float64))) { }
        Console.WriteLine($"one HVP (first call, includes warm-up): {clock.Elapsed.TotalSeconds:F3} s");
        clock.Restart();
        for (int i = 0; i < 5; i++) using (var v = hessian.Multiply(ones(hessian.Dimension, ScalarType.Float64))) { }
        Console.WriteLine($"one HVP (mean of 5): {clock.Elapsed.TotalSeconds / 5:F3} s");
        var reference = LanczosEigenSolver.Run(hessian, new LanczosOptions(TopK: 5, MaxSteps: 50, Tolerance: 1e-10, Seed: 123));
        Console.WriteLine($"reference λ (50-step Lanczos, {reference.Seconds:F1} s): {string.Join(", ", reference.RitzValues.Take(5).Select(v => v.ToString("G6")))}");
        foreach (long seed in Enumerable.Range(0, 8))
        {
            var lanczos = LanczosEigenSolver.Run(hessian, new LanczosOptions(TopK: 1, MaxSteps: 30, Tolerance: 1e-3, Seed: seed));
            var power = PowerIteration.Run(hessian, seed: seed);
            Console.WriteLine($"seed {seed}: Lanczos λ_max {lanczos.LambdaMax:G6} in {lanczos.Hvps} HVPs ({lanczos.Seconds:F2} s, rel. err {Rel(lanczos.LambdaMax, reference.LambdaMax):E1}); " +
                              $"power {power.LambdaMax:G6} in {power.Hvps} HVPs ({power.Seconds:F2} s, rel. err {Rel(power.LambdaMax, reference.LambdaMax):E1})");
            if (seed > 0) continue;
            var lanczos5 = LanczosEigenSolver.Run(hessian, new LanczosOptions(TopK: 5, MaxSteps: 60, Tolerance: 1e-3, Seed: seed));
            Console.WriteLine($"         Lanczos top-5 in {lanczos5.Hvps} HVPs: {string.Join(", ", lanczos5.RitzValues.Take(5).Select(v => v.ToString("G6")))}");
        }

        // The analyzer with its defaults, as the CLI will run it.
        var options = new SharpnessAnalysisOptions { Landscape1DPoints = 21, Landscape2DPoints = 9 };
        var report = new SharpnessAnalyzer(options, AnalysisPlots.Instance).Analyze(bench.Model, SharpnessBenchModel.CrossEntropy, bench.Batches, folder);
        Console.WriteLine();
        Console.WriteLine($"{"estimator",-44} {"value",12} {"HVPs",6} {"grads",6} {"losses",7} {"seconds",8}");
        void Row(string name, double value, long hvps, long grads, long losses, double seconds) =>
            Console.WriteLine($"{name,-44} {value,12:G6} {hvps,6} {grads,6} {losses,7} {seconds,8:F2}");
        Row("loss", report.Loss.Value, 0, 1, 0, double.NaN);
        Row("lambda_max.lanczos", report.LambdaMax!.Lanczos!.Value, report.LambdaMax.Lanczos.Hvps, 0, 0, report.LambdaMax.Lanczos.Seconds);
        Row("lambda_max.power (PyHessian rule)", report.LambdaMax.Power!.Value, report.LambdaMax.Power.Hvps, 0, 0, report.LambdaMax.Power.Seconds);
        Row($"top_eigenvalues.lanczos[{options.TopK - 1}]", report.TopEigenvalues!.Lanczos.Values[^1], report.TopEigenvalues.Lanczos.Hvps, 0, 0, report.TopEigenvalues.Lanczos.Seconds);
        var t = report.Trace!.Hutchinson;
        Row($"trace.hutchinson (stderr {t.Stderr:G3}, {t.Probes} probes)", t.Value, t.Hvps, 0, 0, t.Seconds);
        var d = report.Density!.Slq;
        Row($"density.slq ({d.Steps} steps, max node)", d.Nodes[0].Max(), d.Hvps, 0, 0, d.Seconds);
        Row("scale_aware.filter_normalized_lambda_max", report.ScaleAware!.FilterNormalizedLambdaMax.Value, report.ScaleAware.FilterNormalizedLambdaMax.Hvps, 0, 0, report.ScaleAware.FilterNormalizedLambdaMax.Seconds);
        Row("scale_aware.lambda_max_times_weight_norm_sq", report.ScaleAware.LambdaMaxTimesWeightNormSq!.Value, 0, 0, 0, 0);
        var e = report.EpsSharpness!.Keskar;
        Row($"eps_sharpness.keskar (eps {e.Epsilon})", e.Value, 0, e.Gradients, e.LossEvaluations, e.Seconds);
        var r = report.RhoSharpness!.SamFirstOrder;
        Row($"rho_sharpness.sam_first_order (rho {r.Rho})", r.Value, 0, r.Gradients, r.LossEvaluations, r.Seconds);
        var p = report.PacBayes!.MagnitudeAwareSigma!;
        Row($"pac_bayes.magnitude_aware_sigma (1/s^2 {p.Flatness:G3})", p.Value, 0, 0, p.LossEvaluations, p.Seconds);
        var l1 = report.Landscape!.FilterNormalized1D!;
        Row($"landscape 1d ({l1.Points} points)", double.NaN, 0, 0, l1.LossEvaluations, l1.Seconds);
        var l2 = report.Landscape.FilterNormalized2D!;
        Row($"landscape 2d ({l2.Points}x{l2.Points} points)", double.NaN, 0, 0, l2.LossEvaluations, l2.Seconds);
        Row("total", double.NaN, report.Total.Hvps, report.Total.Gradients, report.Total.LossEvaluations, report.Total.Seconds);
        Console.WriteLine($"wrote {Path.Combine(folder, AnalysisJson.FileName)} and plots/CSVs");

        // In-training probe cost on a 256-example probe set: cold, then warm-started.
        using var probe = new SharpnessProbe(bench.Model, SharpnessBenchModel.CrossEntropy, bench.Batches.Take(1).ToList(), lanczosSteps: 5);
        var cold = probe.Measure();
        var warmReading = probe.Measure();
        Console.WriteLine($"SharpnessProbe (256 examples): cold λ {cold.LambdaMax:G6} {cold.Hvps} HVPs {cold.Seconds:F2} s; warm λ {warmReading.LambdaMax:G6} {warmReading.Hvps} HVPs {warmReading.Seconds:F2} s");
        return 0;
    }

    static double Rel(double value, double reference) => Math.Abs(value - reference) / Math.Abs(reference);
}
