using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Training.Analysis;

/// <summary>
/// The entry point: runs the configured estimators on (model, loss, fixed analysis batches) and returns a typed
/// <see cref="AnalysisReport"/>; with an output folder it also writes analysis.json (atomically), the density plot and
/// the landscape CSV/plots there. The model is evaluated in eval mode and its weights and mode are left unchanged.
/// <code>
/// var batches = AnalysisBatches.FirstExamples(trainX, trainY, count: 2048, batchSize: 256);
/// var report = new SharpnessAnalyzer(new SharpnessAnalysisOptions { TopK = 5 })
///     .Analyze(model, (output, target) => nn.functional.cross_entropy(output, target), batches, runDir);
/// </code>
/// </summary>
public sealed class SharpnessAnalyzer(SharpnessAnalysisOptions? options = null)
{
    public SharpnessAnalysisOptions Options { get; } = options ?? new SharpnessAnalysisOptions();

    public AnalysisReport Analyze(nn.Module<Tensor, Tensor> model, AnalysisLoss loss, IReadOnlyList<AnalysisBatch> batches,
        string? outputFolder = null)
    {
        var o = Options;
        o.Validate();
        var clock = Stopwatch.StartNew();
        if (outputFolder is not null) Directory.CreateDirectory(outputFolder);
        var hessian = new ModelHessian(model, loss, batches);
        using var scope = NewDisposeScope();

        var (baseLoss, gradient) = hessian.LossAndGradient();
        var lossSummary = new LossSummary(baseLoss, FlatVectors.Norm(gradient));

        LanczosEstimate? lanczos = null;
        TopEigenvaluesSection? top = null;
        if (o.RunLanczos)
        {
            var r = LanczosEigenSolver.Run(hessian, new LanczosOptions(o.TopK, o.LanczosMaxSteps, o.LanczosTolerance, Seed: o.Seed));
            lanczos = new LanczosEstimate(r.LambdaMax, r.Hvps, r.Seconds, r.Steps, r.Converged, r.ResidualBounds[0]);
            top = new TopEigenvaluesSection(new TopEigenvaluesEstimate(r.RitzValues.Take(o.TopK).ToArray(), r.ResidualBounds, r.Hvps, r.Seconds));
        }

        PowerEstimate? power = null;
        if (o.RunPowerIteration)
        {
            var r = PowerIteration.Run(hessian, 1, o.PowerMaxIter, o.PowerTolerance, o.Seed + 1);
            power = new PowerEstimate(r.LambdaMax, r.Hvps, r.Seconds, r.Iterations[0], o.PowerMaxIter, o.PowerTolerance);
        }

        TraceSection? trace = null;
        if (o.RunTrace)
        {
            var r = HutchinsonTrace.Estimate(hessian, o.TraceMaxIter, o.TraceTolerance, o.TraceMinProbes, o.Seed + 2);
            trace = new TraceSection(new HutchinsonEstimate(r.Value, r.StandardError, r.Probes, r.Hvps, r.Seconds));
        }

        DensitySection? density = null;
        if (o.RunDensity)
        {
            var r = StochasticLanczosQuadrature.Estimate(hessian, o.DensitySteps, o.DensityRuns, o.Seed + 3);
            string? plot = null;
            if (outputFolder is not null)
            {
                plot = "density.png";
                AnalysisPlots.SpectralDensity(r, Path.Combine(outputFolder, plot), sigmaSquared: o.DensitySigmaSquared);
            }
            density = new DensitySection(new SlqEstimate(r.Nodes, r.Weights, r.Steps, o.DensityRuns, o.DensitySigmaSquared, r.Hvps, r.Seconds, plot));
        }

        ScaleAwareSection? scaleAware = null;
        double? lambdaMax = lanczos?.Value ?? power?.Value;
        if (o.RunScaleAware && lambdaMax is { } lm)
        {
            var r = ScaleAwareSharpness.Measure(hessian, lm,
                new LanczosOptions(1, o.LanczosMaxSteps, o.LanczosTolerance, Seed: o.Seed + 4));
            scaleAware = new ScaleAwareSection(
                new ScaledEstimate(r.LambdaMaxTimesWeightNormSquared, 0, 0, Invariances.GlobalScale),
                new ScaledEstimate(r.FilterNormalizedLambdaMax, r.Hvps, r.Seconds, Invariances.PerFilter));
        }

        EpsSharpnessSection? eps = null;
        if (o.RunEpsilonSharpness)
        {
            var r = EpsilonSharpness.Measure(hessian, o.Epsilon, o.EpsilonAscentSteps, o.EpsilonStepFraction, o.Seed + 8);
            eps = new EpsSharpnessSection(new KeskarEstimate(r.Value, r.Epsilon, r.BaseLoss, r.MaxLoss, r.AscentSteps, o.EpsilonStepFraction,
                "projected sign-gradient ascent in the box from z=0, best iterate kept", r.Gradients, r.LossEvaluations, r.Seconds));
        }

        RhoSharpnessSection? rho = null;
        if (o.RunRhoSharpness)
        {
            var r = RhoSharpness.Measure(hessian, o.Rho);
            rho = new RhoSharpnessSection(new SamEstimate(r.Value, r.Rho, r.BaseLoss, r.PerturbedLoss, r.Gradients, r.LossEvaluations, r.Seconds));
        }

        PacBayesSection? pacBayes = null;
        if (o.RunPacBayes)
        {
            var r = PacBayesFlatness.Measure(hessian, o.PacBayesTargetIncrease, o.PacBayesSamples, o.PacBayesBisectionSteps,
                o.PacBayesSigmaMax, seed: o.Seed + 5);
            pacBayes = new PacBayesSection(new MagnitudeAwareEstimate(r.Sigma, r.Flatness, r.TargetIncrease, r.LossIncreaseAtSigma,
                r.Samples, r.BisectionSteps, r.HitUpperBound, r.LossEvaluations, r.Seconds));
        }

        LandscapeSection? landscape = null;
        if (o.Landscape1DPoints > 0 || o.Landscape2DPoints > 0)
            landscape = Landscapes(hessian, o, outputFolder);

        var report = new AnalysisReport
        {
            Model = new AnalysisModelSummary(hessian.Dimension, hessian.Examples, batches.Count, "eval"),
            Settings = o,
            Loss = lossSummary,
            LambdaMax = lanczos is null && power is null ? null : new LambdaMaxSection(lanczos, power),
            TopEigenvalues = top,
            Trace = trace,
            Density = density,
            EpsSharpness = eps,
            RhoSharpness = rho,
            PacBayes = pacBayes,
            ScaleAware = scaleAware,
            Landscape = landscape,
            Total = new AnalysisCost(hessian.HvpCount, hessian.GradientCount, hessian.LossCount, clock.Elapsed.TotalSeconds),
        };
        if (outputFolder is not null) AnalysisJson.Write(report, Path.Combine(outputFolder, AnalysisJson.FileName));
        return report;
    }

    static LandscapeSection Landscapes(ModelHessian hessian, SharpnessAnalysisOptions o, string? folder)
    {
        LandscapeEstimate? one = null, two = null;
        var d1 = FilterNormalizedDirections.Create(hessian.Layout, o.Seed + 6);
        if (o.Landscape1DPoints > 0)
        {
            long before = hessian.LossCount;
            var curve = LossLandscape.Slice1D(hessian, d1, LossLandscape.Range(-o.LandscapeRadius, o.LandscapeRadius, o.Landscape1DPoints));
            string? csv = null, plot = null;
            if (folder is not null)
            {
                File.WriteAllText(Path.Combine(folder, csv = "landscape_1d.csv"), curve.ToCsv());
                AnalysisPlots.Curve(curve, Path.Combine(folder, plot = "landscape_1d.png"), "Loss along a filter-normalized direction");
            }
            one = new LandscapeEstimate(o.Landscape1DPoints, o.LandscapeRadius, hessian.LossCount - before, curve.Seconds, csv, plot);
        }
        if (o.Landscape2DPoints > 0)
        {
            long before = hessian.LossCount;
            var d2 = FilterNormalizedDirections.Create(hessian.Layout, o.Seed + 7);
            var axis = LossLandscape.Range(-o.LandscapeRadius, o.LandscapeRadius, o.Landscape2DPoints);
            var surface = LossLandscape.Slice2D(hessian, d1, d2, axis, axis);
            string? csv = null, plot = null;
            if (folder is not null)
            {
                File.WriteAllText(Path.Combine(folder, csv = "landscape_2d.csv"), surface.ToCsv());
                AnalysisPlots.Surface(surface, Path.Combine(folder, plot = "landscape_2d.png"), "Loss on a filter-normalized plane");
            }
            two = new LandscapeEstimate(o.Landscape2DPoints, o.LandscapeRadius, hessian.LossCount - before, surface.Seconds, csv, plot);
        }
        return new LandscapeSection(one, two);
    }
}
