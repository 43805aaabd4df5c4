namespace TrainKit.Analysis;

/// <summary>Which estimators <see cref="SharpnessAnalyzer"/> runs and with what settings. Defaults follow PyHessian
/// (power iteration 100/1e-3, Hutchinson 100/1e-3) and the papers cited on each estimator. Serialized verbatim into
/// analysis.json under "settings".</summary>
public sealed record SharpnessAnalysisOptions
{
    public long Seed { get; init; } = 0;

    /// <summary>Eval (BatchNorm running statistics) or Train (batch statistics: the Hessian SGD's stability depends on).</summary>
    public HessianMode HessianMode { get; init; } = HessianMode.Eval;

    // Lanczos: λ_max and the top-k eigenvalues from one run.
    public bool RunLanczos { get; init; } = true;
    public int TopK { get; init; } = 5;
    public int LanczosMaxSteps { get; init; } = 30;
    public double LanczosTolerance { get; init; } = 1e-3;

    // λ_min: Lanczos on −H, its own run.
    public bool RunLambdaMin { get; init; } = true;
    public int LambdaMinMaxSteps { get; init; } = 30;

    // Per-layer λ_max and trace (diagonal Hessian block of each module's parameters); off by default: it costs
    // modules × (PerLayerLanczosSteps + PerLayerTraceProbes) HVPs.
    public bool RunPerLayer { get; init; } = false;
    public int PerLayerLanczosSteps { get; init; } = 10;
    public int PerLayerTraceProbes { get; init; } = 5;

    // Spread of λ_max over batch-level bootstrap resamples of the subset (0 = off): the subset's own error bar.
    public int SubsetBootstrapRuns { get; init; } = 0;
    public int SubsetBootstrapLanczosSteps { get; init; } = 15;

    // Power iteration with PyHessian's stopping rule, for parity.
    public bool RunPowerIteration { get; init; } = true;
    public int PowerMaxIter { get; init; } = 100;
    public double PowerTolerance { get; init; } = 1e-3;

    // Hutchinson trace.
    public bool RunTrace { get; init; } = true;
    public int TraceMaxIter { get; init; } = 100;
    public double TraceTolerance { get; init; } = 1e-3;
    public int TraceMinProbes { get; init; } = 10;

    // Spectral density (SLQ). PyHessian uses 100 steps; 50 resolves the outliers and the bulk's shape at half the cost.
    public bool RunDensity { get; init; } = true;
    public int DensitySteps { get; init; } = 50;
    public int DensityRuns { get; init; } = 1;
    public double DensitySigmaSquared { get; init; } = 1e-5;

    // Scale-aware figures (needs λ_max: from Lanczos, else power iteration).
    public bool RunScaleAware { get; init; } = true;

    // Keskar ε-sharpness.
    public bool RunEpsilonSharpness { get; init; } = true;
    public double Epsilon { get; init; } = 1e-3;
    public int EpsilonAscentSteps { get; init; } = 5;
    public double EpsilonStepFraction { get; init; } = 0.5;

    // SAM ρ-sharpness.
    public bool RunRhoSharpness { get; init; } = true;
    public double Rho { get; init; } = 0.05;

    // Magnitude-aware PAC-Bayes σ′, cross-entropy variant (TrainKit's): log-σ bisection until the bracket's relative
    // width is below PacBayesSigmaTolerance, at most PacBayesBisectionSteps halvings.
    public bool RunPacBayes { get; init; } = true;
    public double PacBayesTargetIncrease { get; init; } = 0.1;
    public int PacBayesSamples { get; init; } = 5;
    public int PacBayesBisectionSteps { get; init; } = 30;
    public double PacBayesSigmaTolerance { get; init; } = 0.01;
    public double PacBayesSigmaMax { get; init; } = 1.0;

    // Jiang et al. 2020's magnitude-aware PAC-Bayes: training-accuracy drop 0.1, BN folded, 10 samples, 15 bisection steps.
    // Needs class-index targets; skipped (section absent) for regression losses.
    public bool RunJiangPacBayes { get; init; } = true;
    public double JiangAccuracyDrop { get; init; } = 0.1;
    public int JiangSamples { get; init; } = 10;
    public int JiangBisectionSteps { get; init; } = 15;

    // Adaptive sharpness (ASAM, Kwon et al. 2021): ρ = 0.5, η = 0.01.
    public bool RunAdaptiveSharpness { get; init; } = true;
    public double AdaptiveRho { get; init; } = 0.5;
    public double AdaptiveEta { get; init; } = 0.01;

    // Andriushchenko et al. 2023: average-case adaptive sharpness (Gaussian noise of std ρ·|w|, mean of seeded samples)
    // and worst-case adaptive ℓ∞ m-sharpness (mean over chunks of m examples of each chunk's worst rise in the box ρ·|w|).
    public bool RunAverageCaseSharpness { get; init; } = true;
    public double AverageCaseRho { get; init; } = 0.1;
    public int AverageCaseSamples { get; init; } = 8;
    public bool RunMSharpness { get; init; } = true;
    public long MSharpnessM { get; init; } = 128;
    public double MSharpnessRho { get; init; } = 1e-3;
    public int MSharpnessSteps { get; init; } = 3;

    // Filter-normalized loss landscape slices around the weights (0 points = off). Written as CSV + PNG when the
    // analyzer has an output folder.
    public int Landscape1DPoints { get; init; } = 0;
    public int Landscape2DPoints { get; init; } = 0;
    public double LandscapeRadius { get; init; } = 1.0;
    // BatchNorm statistics at each landscape point: re-estimated from this many analysis batches (default), or fixed.
    public BatchNormMode LandscapeBatchNorm { get; init; } = BatchNormMode.Reestimate;
    public int LandscapeStatisticsBatches { get; init; } = LossLandscape.DefaultStatisticsBatches;

    public void Validate()
    {
        if (TopK < 1 || LanczosMaxSteps < TopK) throw new ArgumentException("need 1 ≤ TopK ≤ LanczosMaxSteps");
        if (RunPerLayer && (PerLayerLanczosSteps < 1 || PerLayerTraceProbes < 1))
            throw new ArgumentException("per_layer_lanczos_steps and per_layer_trace_probes must be at least 1");
        if (PowerMaxIter < 1 || TraceMaxIter < 1 || DensitySteps < 1 || DensityRuns < 1)
            throw new ArgumentException("iteration counts must be at least 1");
        if (Epsilon <= 0 || Rho <= 0 || PacBayesTargetIncrease <= 0 || LandscapeRadius <= 0)
            throw new ArgumentException("Epsilon, Rho, PacBayesTargetIncrease and LandscapeRadius must be positive");
        if (Landscape1DPoints is 1 or < 0 || Landscape2DPoints is 1 or < 0)
            throw new ArgumentException("landscape point counts must be 0 (off) or at least 2");
        if (LambdaMinMaxSteps < 2 || SubsetBootstrapRuns < 0 || SubsetBootstrapLanczosSteps < 2 || LandscapeStatisticsBatches < 1)
            throw new ArgumentException("LambdaMinMaxSteps and SubsetBootstrapLanczosSteps must be at least 2, SubsetBootstrapRuns non-negative, LandscapeStatisticsBatches positive");
        if (PacBayesSamples < 1 || JiangSamples < 1 || PacBayesBisectionSteps < 0 || JiangBisectionSteps < 0 || PacBayesSigmaTolerance < 0
            || JiangAccuracyDrop <= 0 || JiangAccuracyDrop >= 1 || AdaptiveRho <= 0 || AdaptiveEta < 0 || PacBayesSigmaMax <= 0)
            throw new ArgumentException("PAC-Bayes samples must be positive, steps and tolerance non-negative, JiangAccuracyDrop in (0, 1), AdaptiveRho and PacBayesSigmaMax positive, AdaptiveEta non-negative");
        if (AverageCaseRho <= 0 || AverageCaseSamples < 1 || MSharpnessM < 1 || MSharpnessRho <= 0 || MSharpnessSteps < 1)
            throw new ArgumentException("AverageCaseRho and MSharpnessRho must be positive, AverageCaseSamples, MSharpnessM and MSharpnessSteps at least 1");
    }
}
