using System.Text.Json.Serialization;

namespace TrainKit.Training.Analysis;

// The typed form of analysis.json. Property names map to snake_case keys (AnalysisJson), so the file reads
// {"lambda_max": {"lanczos": {"value": …, "hvps": …, "seconds": …}, "power": {…}}, "trace": {"hutchinson": {…}}, …}.
// Each figure sits under the name of its estimator, with its cost; sections of estimators not run are omitted.
// "invariance" says whether a figure survives rescaling BatchNorm-ed filters (Dinh et al. 2017).

public sealed record AnalysisReport
{
    public required AnalysisModelSummary Model { get; init; }
    public required SharpnessAnalysisOptions Settings { get; init; }
    public required LossSummary Loss { get; init; }
    public LambdaMaxSection? LambdaMax { get; init; }
    public TopEigenvaluesSection? TopEigenvalues { get; init; }
    public TraceSection? Trace { get; init; }
    public DensitySection? Density { get; init; }
    public EpsSharpnessSection? EpsSharpness { get; init; }
    public RhoSharpnessSection? RhoSharpness { get; init; }
    public PacBayesSection? PacBayes { get; init; }
    public ScaleAwareSection? ScaleAware { get; init; }
    public LandscapeSection? Landscape { get; init; }
    public required AnalysisCost Total { get; init; }
}

public sealed record AnalysisModelSummary(long Parameters, long AnalysisExamples, int AnalysisBatches, string Mode);
public sealed record LossSummary(double Value, double GradientNorm);
public sealed record AnalysisCost(long Hvps, long Gradients, long LossEvaluations, double Seconds);

public sealed record LambdaMaxSection(LanczosEstimate? Lanczos, PowerEstimate? Power);
public sealed record LanczosEstimate(double Value, long Hvps, double Seconds, int Steps, bool Converged, double ResidualBound,
    string Invariance = Invariances.None);
public sealed record PowerEstimate(double Value, long Hvps, double Seconds, int Iterations, int MaxIter, double Tolerance,
    string Invariance = Invariances.None);

public sealed record TopEigenvaluesSection(TopEigenvaluesEstimate Lanczos);
/// <summary>From the same Lanczos run as lambda_max.lanczos (the HVPs are not extra).</summary>
public sealed record TopEigenvaluesEstimate(double[] Values, double[] ResidualBounds, long Hvps, double Seconds);

public sealed record TraceSection(HutchinsonEstimate Hutchinson);
public sealed record HutchinsonEstimate(double Value, double Stderr, int Probes, long Hvps, double Seconds);

public sealed record DensitySection(SlqEstimate Slq);
/// <summary>Quadrature nodes/weights per run; broaden with sigma_squared as PyHessian's density_generate does.</summary>
public sealed record SlqEstimate(double[][] Nodes, double[][] Weights, int Steps, int Runs, double SigmaSquared, long Hvps,
    double Seconds, string? Plot);

public sealed record EpsSharpnessSection(KeskarEstimate Keskar);
public sealed record KeskarEstimate(double Value, double Epsilon, double BaseLoss, double MaxLoss, int AscentSteps, double StepFraction,
    string Maximizer, long Gradients, long LossEvaluations, double Seconds, string Invariance = Invariances.None);

public sealed record RhoSharpnessSection(SamEstimate SamFirstOrder);
public sealed record SamEstimate(double Value, double Rho, double BaseLoss, double PerturbedLoss, long Gradients, long LossEvaluations,
    double Seconds, string Invariance = Invariances.None);

public sealed record PacBayesSection(MagnitudeAwareEstimate MagnitudeAwareSigma);
/// <summary>Value = σ′ (larger is flatter); flatness = 1/σ′² as in Jiang et al. 2020.</summary>
public sealed record MagnitudeAwareEstimate(double Value, double Flatness, double TargetIncrease, double LossIncreaseAtValue, int Samples,
    int BisectionSteps, bool HitUpperBound, long LossEvaluations, double Seconds, string Invariance = Invariances.PerWeight);

public sealed record ScaleAwareSection(ScaledEstimate LambdaMaxTimesWeightNormSq, ScaledEstimate FilterNormalizedLambdaMax);
public sealed record ScaledEstimate(double Value, long Hvps, double Seconds, string Invariance);

public sealed record LandscapeSection(
    [property: JsonPropertyName("filter_normalized_1d")] LandscapeEstimate? FilterNormalized1D,
    [property: JsonPropertyName("filter_normalized_2d")] LandscapeEstimate? FilterNormalized2D);
public sealed record LandscapeEstimate(int Points, double Radius, long LossEvaluations, double Seconds, string? Csv, string? Plot);

/// <summary>Labels for the "invariance" field.</summary>
public static class Invariances
{
    public const string None = "none: changes when BatchNorm-ed filters are rescaled (not comparable across reparametrizations)";
    public const string PerWeight = "noise scaled by |w|: insensitive to rescaling individual weights, up to the additive epsilon_d";
    public const string GlobalScale = "global rescaling of all weights of a scale-invariant network";
    public const string PerFilter = "per-filter rescaling (each BatchNorm-ed filter separately); biases and BN parameters excluded";
}
