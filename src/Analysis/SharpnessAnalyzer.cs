using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>
/// The entry point: runs the configured estimators on (model, loss, fixed analysis batches) and returns a typed
/// <see cref="AnalysisReport"/>; with an output folder it also writes analysis.json (atomically) and the landscape CSVs
/// there, and the density and landscape figures when it was given <see cref="IAnalysisFigures"/> to draw them. The model is evaluated in eval mode and its weights and mode are left unchanged.
/// <code>
/// var batches = AnalysisBatches.FirstExamples(trainX, trainY, count: 2048, batchSize: 256);
/// var report = new SharpnessAnalyzer(new SharpnessAnalysisOptions { TopK = 5 }, AnalysisPlots.Instance)
///     .Analyze(model, (output, target) => nn.functional.cross_entropy(output, target), batches, runDir);
/// </code>
/// </summary>
public sealed class SharpnessAnalyzer(SharpnessAnalysisOptions? options = null, IAnalysisFigures? figures = null)
{
    public SharpnessAnalysisOptions Options { get; } = options ?? new SharpnessAnalysisOptions();

    /// <summary>Draws the figures into the output folder; null: no figures (their file names stay null in the report).</summary>
    public IAnalysisFigures? Figures { get; } = figures;

    /// <param name="trainingExamples">Size of the set the batches were taken from (recorded in "subset"); null if unknown.</param>
    /// <param name="selection">How the subset was chosen (recorded in "subset").</param>
    /// <param name="preconditioner">An Adam run's preconditioner: adds λ_max(P⁻¹H) and Adam's stability threshold.</param>
    public AnalysisReport Analyze(nn.Module<Tensor, Tensor> model, AnalysisLoss loss, IReadOnlyList<AnalysisBatch> batches,
        string? outputFolder = null, Action<AnalysisProgress>? progress = null, long? trainingExamples = null,
        string selection = "first examples of the training set, unaugmented", AdamPreconditioner? preconditioner = null)
    {
        var o = Options;
        o.Validate();
        var clock = Stopwatch.StartNew();
        if (outputFolder is not null) Directory.CreateDirectory(outputFolder);
        var hessian = new ModelHessian(model, loss, batches, o.HessianMode);
        using var scope = NewDisposeScope();
        int modules = o.RunPerLayer ? PerLayerSharpness.ModuleCount(hessian) : 0;
        var plan = Plan(o, hessian.Batches.Count, modules, preconditioner is not null);
        int index = 0;
        double unitsDone = 0, unitsPlanned = plan.Sum(p => p.Units);
        T Step<T>(string name, Func<T> run)
        {
            index++;
            var planned = plan.First(p => p.Name == name);
            double? Remaining(double done) => done <= 0 ? null : clock.Elapsed.TotalSeconds / done * (unitsPlanned - done);
            progress?.Invoke(new AnalysisProgress(name, index, plan.Count, false, clock.Elapsed.TotalSeconds, Remaining(unitsDone)));
            var result = run();
            unitsDone += planned.Units;
            progress?.Invoke(new AnalysisProgress(name, index, plan.Count, true, clock.Elapsed.TotalSeconds, Remaining(unitsDone)));
            return result;
        }

        var (baseLoss, gradient) = Step("loss", hessian.LossAndGradient);
        var lossSummary = new LossSummary(baseLoss, FlatVectors.Norm(gradient));

        LanczosEstimate? lanczos = null;
        TopEigenvaluesSection? top = null;
        if (o.RunLanczos)
        {
            var r = Step("lambda_max.lanczos", () => LanczosEigenSolver.Run(hessian, new LanczosOptions(o.TopK, o.LanczosMaxSteps, o.LanczosTolerance, Seed: o.Seed)));
            lanczos = new LanczosEstimate(r.LambdaMax, r.Hvps, r.Seconds, r.Steps, r.Converged, r.ResidualBounds[0], Stalled: r.Stalled);
            top = new TopEigenvaluesSection(new TopEigenvaluesEstimate(r.RitzValues.Take(o.TopK).ToArray(), r.ResidualBounds, r.Hvps, r.Seconds,
                r.Converged));
        }

        LambdaMinSection? lambdaMin = null;
        if (o.RunLambdaMin)
        {
            var r = Step("lambda_min.lanczos", () => LanczosEigenSolver.Run(new NegatedOperator(hessian),
                new LanczosOptions(1, o.LambdaMinMaxSteps, o.LanczosTolerance, MinSteps: Math.Min(10, o.LambdaMinMaxSteps), Seed: o.Seed + 9)));
            lambdaMin = new LambdaMinSection(new LanczosEstimate(-r.LambdaMax, r.Hvps, r.Seconds, r.Steps, r.Converged, r.ResidualBounds[0],
                Stalled: r.Stalled));
        }

        PowerEstimate? power = null;
        if (o.RunPowerIteration)
        {
            var r = Step("lambda_max.power", () => PowerIteration.Run(hessian, 1, o.PowerMaxIter, o.PowerTolerance, o.Seed + 1));
            power = new PowerEstimate(r.LambdaMax, r.Hvps, r.Seconds, r.Iterations[0], o.PowerMaxIter, o.PowerTolerance,
                Converged: r.Iterations[0] < o.PowerMaxIter);
        }

        SubsetBootstrap? bootstrap = null;
        if (o.SubsetBootstrapRuns > 0)
            bootstrap = Step("subset.bootstrap", () => Bootstrap(model, loss, batches, o));

        TraceSection? trace = null;
        if (o.RunTrace)
        {
            var r = Step("trace.hutchinson", () => HutchinsonTrace.Estimate(hessian, o.TraceMaxIter, o.TraceTolerance, o.TraceMinProbes, o.Seed + 2));
            trace = new TraceSection(new HutchinsonEstimate(r.Value, r.StandardError, r.Probes, r.Hvps, r.Seconds, r.Probes < o.TraceMaxIter));
        }

        PerLayerSection? perLayer = null;
        if (o.RunPerLayer)
            perLayer = Step("per_layer", () =>
            {
                var layerClock = Stopwatch.StartNew();
                long before = hessian.HvpCount;
                var layers = PerLayerSharpness.Measure(hessian, o.PerLayerLanczosSteps, o.LanczosTolerance, o.PerLayerTraceProbes, o.Seed + 13);
                return new PerLayerSection(layers, hessian.HvpCount - before, layerClock.Elapsed.TotalSeconds);
            });

        DensitySection? density = null;
        if (o.RunDensity)
        {
            var r = Step("density.slq", () => StochasticLanczosQuadrature.Estimate(hessian, o.DensitySteps, o.DensityRuns, o.Seed + 3));
            string? plot = null;
            if (outputFolder is not null && Figures is { } f)
            {
                plot = f.DensityFile;
                f.SpectralDensity(r, Path.Combine(outputFolder, plot), o.DensitySigmaSquared);
            }
            density = new DensitySection(new SlqEstimate(r.Nodes, r.Weights, r.Steps, o.DensityRuns, o.DensitySigmaSquared, r.Hvps, r.Seconds, plot,
                r.NegativeMass));
        }

        ScaleAwareSection? scaleAware = null;
        double? lambdaMax = lanczos?.Value ?? power?.Value;
        if (o.RunScaleAware && lambdaMax is { } lm)
        {
            var r = Step("scale_aware", () => ScaleAwareSharpness.Measure(hessian, lm,
                new LanczosOptions(1, o.LanczosMaxSteps, o.LanczosTolerance, Seed: o.Seed + 4)));
            scaleAware = new ScaleAwareSection(
                new ScaledEstimate(r.LambdaMaxTimesWeightNormSquared, 0, 0, Invariances.GlobalScale),
                new ScaledEstimate(r.FilterNormalizedLambdaMax, r.Hvps, r.Seconds, Invariances.PerFilter));
        }

        PreconditionedSection? preconditioned = null;
        if (preconditioner is not null)
        {
            preconditioned = Step("preconditioned_lambda_max", () =>
            {
                using var operator_ = new DiagonallyScaledHessian(hessian, preconditioner.InverseSqrt());
                var r = LanczosEigenSolver.Run(operator_, new LanczosOptions(1, o.LanczosMaxSteps, o.LanczosTolerance, Seed: o.Seed + 15));
                foreach (var v in r.TopVectors) v.Dispose();
                var estimate = new LanczosEstimate(r.LambdaMax, r.Hvps, r.Seconds, r.Steps, r.Converged, r.ResidualBounds[0], Stalled: r.Stalled);
                return new PreconditionedSection(estimate, preconditioner.Threshold, r.LambdaMax / preconditioner.Threshold, preconditioner.Lr,
                    preconditioner.Beta1, preconditioner.Beta2, preconditioner.Eps, preconditioner.Step);
            });
        }

        EpsSharpnessSection? eps = null;
        if (o.RunEpsilonSharpness)
        {
            var r = Step("eps_sharpness.keskar", () => EpsilonSharpness.Measure(hessian, o.Epsilon, o.EpsilonAscentSteps, o.EpsilonStepFraction, o.Seed + 8));
            eps = new EpsSharpnessSection(new KeskarEstimate(r.Value, r.Epsilon, r.BaseLoss, r.MaxLoss, r.AscentSteps, o.EpsilonStepFraction,
                "projected sign-gradient ascent in the box from z=0, best iterate kept", r.Gradients, r.LossEvaluations, r.Seconds,
                SecondOrder: r.SecondOrder, FirstOrder: r.FirstOrder));
        }

        RhoSharpnessSection? rho = null;
        if (o.RunRhoSharpness)
        {
            var r = Step("rho_sharpness.sam_first_order", () => RhoSharpness.Measure(hessian, o.Rho));
            rho = new RhoSharpnessSection(new SamEstimate(r.Value, r.Rho, r.BaseLoss, r.PerturbedLoss, r.Gradients, r.LossEvaluations, r.Seconds,
                FirstOrder: r.FirstOrder, SecondOrder: r.SecondOrder));
        }

        AsamEstimate? asam = null;
        if (o.RunAdaptiveSharpness)
        {
            var r = Step("adaptive_sharpness.asam", () => AdaptiveSharpness.Measure(hessian, o.AdaptiveRho, o.AdaptiveEta));
            asam = new AsamEstimate(r.Value, r.Rho, r.Eta, r.BaseLoss, r.PerturbedLoss, r.FirstOrder, r.SecondOrder, r.Gradients, r.LossEvaluations, r.Seconds);
        }
        AverageCaseEstimate? averageCase = null;
        if (o.RunAverageCaseSharpness)
        {
            var r = Step("adaptive_sharpness.average_case", () => AverageCaseSharpness.Measure(hessian, o.AverageCaseRho, o.AverageCaseSamples, o.Seed + 13));
            averageCase = new AverageCaseEstimate(r.Value, r.StandardError, r.Rho, r.Samples, r.BaseLoss, r.LossEvaluations, r.Seconds);
        }
        MSharpnessEstimate? mSharpness = null;
        if (o.RunMSharpness)
        {
            var r = Step("adaptive_sharpness.m_sharpness", () => MSharpness.Measure(model, loss, batches, o.MSharpnessM, o.MSharpnessRho, o.MSharpnessSteps,
                o.EpsilonStepFraction, o.HessianMode, o.Seed + 14));
            mSharpness = new MSharpnessEstimate(r.Value, r.StandardError, r.M, r.Rho, r.AscentSteps, r.Chunks, r.FirstOrder, r.SecondOrder,
                r.Gradients, r.LossEvaluations, r.Seconds);
        }
        var adaptive = asam is null && averageCase is null && mSharpness is null ? null : new AdaptiveSharpnessSection(asam, averageCase, mSharpness);

        MagnitudeAwareEstimate? crossEntropyPacBayes = null;
        if (o.RunPacBayes)
        {
            var r = Step("pac_bayes.magnitude_aware_sigma", () => PacBayesFlatness.MeasureLossIncrease(hessian, o.PacBayesTargetIncrease,
                o.PacBayesSamples, o.PacBayesSigmaTolerance, o.PacBayesBisectionSteps, o.PacBayesSigmaMax, seed: o.Seed + 5));
            crossEntropyPacBayes = new MagnitudeAwareEstimate(r.Sigma, r.Flatness, r.Target, r.CriterionAtLower, r.Samples,
                r.Bracket.BisectionSteps, r.HitUpperBound, r.LossEvaluations, r.Seconds, SigmaLower: r.Bracket.Lower, SigmaUpper: r.Bracket.Upper,
                RelativeTolerance: o.PacBayesSigmaTolerance);
        }
        JiangPacBayesEstimate? jiang = null;
        if (o.RunJiangPacBayes && batches.All(b => !b.Target.is_floating_point()))
        {
            jiang = Step("pac_bayes.jiang", () =>
            {
                var r = PacBayesFlatness.MeasureJiang(hessian, o.JiangAccuracyDrop, o.JiangSamples, o.JiangBisectionSteps, o.PacBayesSigmaMax, o.Seed + 10);
                return new JiangPacBayesEstimate(r.Sigma, r.Bracket.Lower, r.Bracket.Upper, r.Flatness, r.Target, r.BaseValue, r.CriterionAtLower,
                    r.Samples, r.Bracket.BisectionSteps, r.HitUpperBound, r.BatchNormFolded, r.LossEvaluations, r.Seconds);
            });
        }

        LandscapeSection? landscape = null;
        if (o.Landscape1DPoints > 0 || o.Landscape2DPoints > 0)
            landscape = Step("landscape", () => Landscapes(hessian, o, outputFolder, Figures));

        var report = new AnalysisReport
        {
            Model = new AnalysisModelSummary(hessian.Dimension, hessian.Examples, batches.Count, o.HessianMode == HessianMode.Train ? "train" : "eval"),
            Settings = o,
            Loss = lossSummary,
            Subset = new SubsetSummary(hessian.Examples, trainingExamples, batches.Count, selection, bootstrap),
            LambdaMax = lanczos is null && power is null ? null : new LambdaMaxSection(lanczos, power),
            LambdaMin = lambdaMin,
            TopEigenvalues = top,
            Trace = trace,
            PerLayer = perLayer,
            Density = density,
            EpsSharpness = eps,
            RhoSharpness = rho,
            PacBayes = crossEntropyPacBayes is null && jiang is null ? null : new PacBayesSection(crossEntropyPacBayes, jiang),
            AdaptiveSharpness = adaptive,
            ScaleAware = scaleAware,
            PreconditionedLambdaMax = preconditioned,
            Landscape = landscape,
            Total = new AnalysisCost(hessian.HvpCount, hessian.GradientCount, hessian.LossCount, clock.Elapsed.TotalSeconds),
        };
        if (outputFolder is not null) AnalysisJson.Write(report, Path.Combine(outputFolder, AnalysisJson.FileName));
        return report;
    }

    /// <summary>λ_max (Lanczos, <c>SubsetBootstrapLanczosSteps</c> steps) on resamplings with replacement of the
    /// subset's batches: how much the figure depends on which examples were drawn.</summary>
    static SubsetBootstrap Bootstrap(nn.Module<Tensor, Tensor> model, AnalysisLoss loss, IReadOnlyList<AnalysisBatch> batches,
        SharpnessAnalysisOptions o)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random((int)(o.Seed + 11));
        var values = new double[o.SubsetBootstrapRuns];
        long hvps = 0;
        for (int run = 0; run < values.Length; run++)
        {
            var resampled = Enumerable.Range(0, batches.Count).Select(_ => batches[random.Next(batches.Count)]).ToList();
            var h = new ModelHessian(model, loss, resampled, o.HessianMode);
            var r = LanczosEigenSolver.Run(h, new LanczosOptions(1, o.SubsetBootstrapLanczosSteps, o.LanczosTolerance, Seed: o.Seed + 12 + run));
            foreach (var v in r.TopVectors) v.Dispose();
            values[run] = r.LambdaMax;
            hvps += r.Hvps;
        }
        double mean = values.Average();
        double std = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : double.NaN;
        return new SubsetBootstrap(values.Length, mean, std, values, o.SubsetBootstrapLanczosSteps, hvps, clock.Elapsed.TotalSeconds);
    }

    sealed record PlannedEstimator(string Name, double Units);

    /// <summary>Upper-bound cost of each estimator in forward-pass units per batch (loss 1, gradient 2, HVP 4).</summary>
    static List<PlannedEstimator> Plan(SharpnessAnalysisOptions o, int batches, int modules, bool preconditioned)
    {
        const double loss = 1, grad = 2, hvp = 4;
        int bracket = 8;   // SigmaSearch bracketing evaluations, typical upper bound
        var plan = new List<PlannedEstimator> { new("loss", grad) };
        void Add(bool on, string name, double units) { if (on) plan.Add(new(name, units)); }
        Add(o.RunLanczos, "lambda_max.lanczos", o.LanczosMaxSteps * hvp);
        Add(o.RunLambdaMin, "lambda_min.lanczos", o.LambdaMinMaxSteps * hvp);
        Add(o.RunPowerIteration, "lambda_max.power", o.PowerMaxIter * hvp);
        Add(o.SubsetBootstrapRuns > 0, "subset.bootstrap", o.SubsetBootstrapRuns * o.SubsetBootstrapLanczosSteps * hvp);
        Add(o.RunTrace, "trace.hutchinson", o.TraceMaxIter * hvp);
        Add(o.RunPerLayer, "per_layer", modules * (o.PerLayerLanczosSteps + o.PerLayerTraceProbes) * hvp);
        Add(o.RunDensity, "density.slq", o.DensitySteps * o.DensityRuns * hvp);
        Add(o.RunScaleAware && (o.RunLanczos || o.RunPowerIteration), "scale_aware", o.LanczosMaxSteps * hvp);
        Add(preconditioned, "preconditioned_lambda_max", o.LanczosMaxSteps * hvp);
        Add(o.RunEpsilonSharpness, "eps_sharpness.keskar", o.EpsilonAscentSteps * (grad + loss) + loss);
        Add(o.RunRhoSharpness, "rho_sharpness.sam_first_order", grad + loss);
        Add(o.RunAdaptiveSharpness, "adaptive_sharpness.asam", grad + loss);
        Add(o.RunAverageCaseSharpness, "adaptive_sharpness.average_case", (o.AverageCaseSamples + 1) * loss);
        Add(o.RunMSharpness, "adaptive_sharpness.m_sharpness", o.MSharpnessSteps * (grad + loss) + loss);
        Add(o.RunPacBayes, "pac_bayes.magnitude_aware_sigma", o.PacBayesSamples * (bracket + Math.Min(o.PacBayesBisectionSteps, 10)) * loss);
        Add(o.RunJiangPacBayes, "pac_bayes.jiang", o.JiangSamples * (bracket + o.JiangBisectionSteps) * loss);
        double perPoint = o.LandscapeBatchNorm == BatchNormMode.Reestimate ? 1 + (double)Math.Min(o.LandscapeStatisticsBatches, batches) / batches : 1;
        Add(o.Landscape1DPoints > 0 || o.Landscape2DPoints > 0, "landscape",
            (o.Landscape1DPoints + o.Landscape2DPoints * o.Landscape2DPoints) * loss * perPoint);
        return plan;
    }

    static LandscapeSection Landscapes(ModelHessian hessian, SharpnessAnalysisOptions o, string? folder, IAnalysisFigures? figures)
    {
        LandscapeEstimate? one = null, two = null;
        var d1 = FilterNormalizedDirections.Create(hessian.Layout, o.Seed + 6);
        if (o.Landscape1DPoints > 0)
        {
            long before = hessian.LossCount;
            var curve = LossLandscape.Slice1D(hessian, d1, LossLandscape.Range(-o.LandscapeRadius, o.LandscapeRadius, o.Landscape1DPoints),
                o.LandscapeBatchNorm, o.LandscapeStatisticsBatches);
            string? csv = null, plot = null;
            if (folder is not null)
            {
                File.WriteAllText(Path.Combine(folder, csv = "landscape_1d.csv"), curve.ToCsv());
                if (figures is not null)
                    figures.Curve(curve, Path.Combine(folder, plot = figures.Landscape1DFile), "Loss along a filter-normalized direction");
            }
            one = new LandscapeEstimate(o.Landscape1DPoints, o.LandscapeRadius, hessian.LossCount - before, curve.Seconds, csv, plot, curve.BatchNorm);
        }
        if (o.Landscape2DPoints > 0)
        {
            long before = hessian.LossCount;
            var d2 = FilterNormalizedDirections.Create(hessian.Layout, o.Seed + 7);
            var axis = LossLandscape.Range(-o.LandscapeRadius, o.LandscapeRadius, o.Landscape2DPoints);
            var surface = LossLandscape.Slice2D(hessian, d1, d2, axis, axis, o.LandscapeBatchNorm, o.LandscapeStatisticsBatches);
            string? csv = null, plot = null;
            if (folder is not null)
            {
                File.WriteAllText(Path.Combine(folder, csv = "landscape_2d.csv"), surface.ToCsv());
                if (figures is not null)
                    figures.Surface(surface, Path.Combine(folder, plot = figures.Landscape2DFile), "Loss on a filter-normalized plane");
            }
            two = new LandscapeEstimate(o.Landscape2DPoints, o.LandscapeRadius, hessian.LossCount - before, surface.Seconds, csv, plot, surface.BatchNorm);
        }
        return new LandscapeSection(one, two);
    }
}
