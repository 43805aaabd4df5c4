namespace TrainKit.Training.Analysis;

/// <summary>Which estimators <see cref="SharpnessAnalyzer"/> runs and with what settings. Defaults follow PyHessian
/// (power iteration 100/1e-3, Hutchinson 100/1e-3) and the papers cited on each estimator. Serialized verbatim into
/// analysis.json under "settings".</summary>
public sealed record SharpnessAnalysisOptions
{
    public long Seed { get; init; } = 0;

    // Lanczos: λ_max and the top-k eigenvalues from one run.
    public bool RunLanczos { get; init; } = true;
    public int TopK { get; init; } = 5;
    public int LanczosMaxSteps { get; init; } = 30;
    public double LanczosTolerance { get; init; } = 1e-3;

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

    // Magnitude-aware PAC-Bayes σ′.
    public bool RunPacBayes { get; init; } = true;
    public double PacBayesTargetIncrease { get; init; } = 0.1;
    public int PacBayesSamples { get; init; } = 5;
    public int PacBayesBisectionSteps { get; init; } = 12;
    public double PacBayesSigmaMax { get; init; } = 1.0;

    // Filter-normalized loss landscape slices around the weights (0 points = off). Written as CSV + PNG when the
    // analyzer has an output folder.
    public int Landscape1DPoints { get; init; } = 0;
    public int Landscape2DPoints { get; init; } = 0;
    public double LandscapeRadius { get; init; } = 1.0;

    public void Validate()
    {
        if (TopK < 1 || LanczosMaxSteps < TopK) throw new ArgumentException("need 1 ≤ TopK ≤ LanczosMaxSteps");
        if (PowerMaxIter < 1 || TraceMaxIter < 1 || DensitySteps < 1 || DensityRuns < 1)
            throw new ArgumentException("iteration counts must be at least 1");
        if (Epsilon <= 0 || Rho <= 0 || PacBayesTargetIncrease <= 0 || LandscapeRadius <= 0)
            throw new ArgumentException("Epsilon, Rho, PacBayesTargetIncrease and LandscapeRadius must be positive");
        if (Landscape1DPoints is 1 or < 0 || Landscape2DPoints is 1 or < 0)
            throw new ArgumentException("landscape point counts must be 0 (off) or at least 2");
    }
}
