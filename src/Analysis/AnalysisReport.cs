using System.Text.Json.Serialization;

namespace TrainKit.Analysis;

// The typed form of analysis.json. Property names map to snake_case keys (AnalysisJson), so the file reads
// {"lambda_max": {"lanczos": {"value": …, "hvps": …, "seconds": …}, "power": {…}}, "trace": {"hutchinson": {…}}, …}.
// Each figure sits under the name of its estimator, with its cost; sections of estimators not run are omitted.
// "invariance" says whether a figure survives rescaling BatchNorm-ed filters (Dinh et al. 2017).

public sealed record AnalysisReport
{
    public required AnalysisModelSummary Model { get; init; }
    public required SharpnessAnalysisOptions Settings { get; init; }
    public required LossSummary Loss { get; init; }
    /// <summary>Which examples every figure below was computed on.</summary>
    public SubsetSummary? Subset { get; init; }
    public LambdaMaxSection? LambdaMax { get; init; }
    public LambdaMinSection? LambdaMin { get; init; }
    public TopEigenvaluesSection? TopEigenvalues { get; init; }
    public TraceSection? Trace { get; init; }
    /// <summary>λ_max and trace of each module's diagonal Hessian block (RunPerLayer).</summary>
    public PerLayerSection? PerLayer { get; init; }
    public DensitySection? Density { get; init; }
    public EpsSharpnessSection? EpsSharpness { get; init; }
    public RhoSharpnessSection? RhoSharpness { get; init; }
    public PacBayesSection? PacBayes { get; init; }
    public AdaptiveSharpnessSection? AdaptiveSharpness { get; init; }
    public ScaleAwareSection? ScaleAware { get; init; }
    /// <summary>Adam runs: λ_max(P⁻¹H) against Adam's stability threshold (see <see cref="AdamPreconditioner"/>).</summary>
    public PreconditionedSection? PreconditionedLambdaMax { get; init; }
    public LandscapeSection? Landscape { get; init; }
    public required AnalysisCost Total { get; init; }
}

/// <param name="Mode">"eval" (BatchNorm running statistics, Dropout off) or "train" (batch statistics: the Hessian SGD sees).</param>
/// <param name="HessianOf">What is differentiated: the mean data loss only (an optimizer's L2/weight-decay term λ_wd·‖w‖²/2
/// is excluded; including it adds λ_wd to every eigenvalue and λ_wd·n to the trace).</param>
public sealed record AnalysisModelSummary(long Parameters, long AnalysisExamples, int AnalysisBatches, string Mode,
    string HessianOf = AnalysisLabels.HessianOf);

/// <param name="Examples">Examples every figure is computed on (the whole training set when Selection says "all").</param>
/// <param name="Bootstrap">λ_max on subsets resampled from this one (batch-level bootstrap), when requested.</param>
public sealed record SubsetSummary(long Examples, long? TrainingExamples, int Batches, string Selection, SubsetBootstrap? Bootstrap = null);
/// <summary>Spread of Lanczos λ_max over <c>Runs</c> resamplings (with replacement) of the subset's batches.</summary>
public sealed record SubsetBootstrap(int Runs, double Mean, double Stddev, double[] Values, int LanczosSteps, long Hvps, double Seconds);
public sealed record LossSummary(double Value, double GradientNorm);
public sealed record AnalysisCost(long Hvps, long Gradients, long LossEvaluations, double Seconds);

public sealed record LambdaMaxSection(LanczosEstimate? Lanczos, PowerEstimate? Power);
/// <param name="Converged">The residual bound is below tolerance·|value| (see <see cref="AnalysisLabels.LanczosConverged"/>).</param>
/// <param name="Stalled">The run stopped because the values stopped moving, without the residual bound holding.</param>
public sealed record LanczosEstimate(double Value, long Hvps, double Seconds, int Steps, bool Converged, double ResidualBound,
    string Invariance = Invariances.None, bool Stalled = false, string ConvergedMeans = AnalysisLabels.LanczosConverged);
public sealed record PowerEstimate(double Value, long Hvps, double Seconds, int Iterations, int MaxIter, double Tolerance,
    string Invariance = Invariances.None, bool Converged = false, string ConvergedMeans = AnalysisLabels.PowerConverged);

/// <summary>λ_min by Lanczos on −H (its own run); with the SLQ density's negative mass it says how non-convex the point is.</summary>
public sealed record LambdaMinSection(LanczosEstimate Lanczos);

public sealed record TopEigenvaluesSection(TopEigenvaluesEstimate Lanczos);
/// <summary>From the same Lanczos run as lambda_max.lanczos (the HVPs are not extra).</summary>
public sealed record TopEigenvaluesEstimate(double[] Values, double[] ResidualBounds, long Hvps, double Seconds, bool Converged = false,
    string ConvergedMeans = AnalysisLabels.LanczosConverged);

public sealed record PerLayerSection(LayerSharpness[] Modules, long Hvps, double Seconds);
public sealed record TraceSection(HutchinsonEstimate Hutchinson);
public sealed record HutchinsonEstimate(double Value, double Stderr, int Probes, long Hvps, double Seconds, bool Converged = false,
    string ConvergedMeans = AnalysisLabels.HutchinsonConverged);

public sealed record DensitySection(SlqEstimate Slq);
/// <summary>Quadrature nodes/weights per run; broaden with sigma_squared as PyHessian's density_generate does.</summary>
/// <param name="NegativeMass">Quadrature weight on negative nodes, averaged over runs: the estimated fraction of the
/// spectrum below zero (negative-curvature mass).</param>
public sealed record SlqEstimate(double[][] Nodes, double[][] Weights, int Steps, int Runs, double SigmaSquared, long Hvps,
    double Seconds, string? Plot, double NegativeMass = 0);

public sealed record EpsSharpnessSection(KeskarEstimate Keskar);
/// <param name="SecondOrder">L(w+z) − L(w) − zᵀ∇L(w) at the maximizer z: the part of the rise the first-order term does
/// not explain (away from a minimum ε-sharpness is mostly the gradient term). Same units as the loss, not ×100.</param>
public sealed record KeskarEstimate(double Value, double Epsilon, double BaseLoss, double MaxLoss, int AscentSteps, double StepFraction,
    string Maximizer, long Gradients, long LossEvaluations, double Seconds, string Invariance = Invariances.None,
    double SecondOrder = double.NaN, double FirstOrder = double.NaN);

public sealed record RhoSharpnessSection(SamEstimate SamFirstOrder);
/// <param name="FirstOrder">ρ‖g‖, the linear part of the rise; <paramref name="SecondOrder"/> = value − ρ‖g‖.</param>
public sealed record SamEstimate(double Value, double Rho, double BaseLoss, double PerturbedLoss, long Gradients, long LossEvaluations,
    double Seconds, string Invariance = Invariances.None, double FirstOrder = double.NaN, double SecondOrder = double.NaN);

/// <param name="MagnitudeAwareSigma">TrainKit's cross-entropy variant (kept under its historical key).</param>
/// <param name="Jiang">Jiang et al. 2020's measure (training-accuracy drop, BN folded).</param>
public sealed record PacBayesSection(MagnitudeAwareEstimate? MagnitudeAwareSigma, JiangPacBayesEstimate? Jiang = null);
/// <summary>Value = σ′, the log-midpoint of [sigma_lower, sigma_upper] (larger is flatter); flatness = 1/σ′².</summary>
public sealed record MagnitudeAwareEstimate(double Value, double Flatness, double TargetIncrease, double LossIncreaseAtValue, int Samples,
    int BisectionSteps, bool HitUpperBound, long LossEvaluations, double Seconds, string Invariance = Invariances.PerWeight,
    double SigmaLower = double.NaN, double SigmaUpper = double.NaN, double RelativeTolerance = double.NaN,
    string Definition = PacBayesFlatness.LossIncreaseDefinition);
/// <param name="Sigma">σ′, log-midpoint of the bracket after the bisection steps.</param>
/// <param name="BatchNormFolded">"k of m": BatchNorm layers folded into their convolution (pre-activation BNs cannot be).</param>
public sealed record JiangPacBayesEstimate(double Sigma, double SigmaLower, double SigmaUpper, double Flatness, double TargetAccuracyDrop,
    double BaseAccuracy, double AccuracyDropAtLower, int Samples, int BisectionSteps, bool HitUpperBound, string BatchNormFolded,
    long LossEvaluations, double Seconds, string Definition = PacBayesFlatness.JiangDefinition, string Invariance = Invariances.PerWeight);

/// <summary>Sharpness measured in a ball scaled by each weight's magnitude: ASAM's first-order maximizer, and
/// Andriushchenko et al. 2023's average-case and worst-case m-sharpness.</summary>
public sealed record AdaptiveSharpnessSection(AsamEstimate? Asam, AverageCaseEstimate? AverageCase = null, MSharpnessEstimate? MSharpness = null);
/// <summary>Average-case adaptive sharpness (see <see cref="AverageCaseSharpness"/>).</summary>
public sealed record AverageCaseEstimate(double Value, double StandardError, double Rho, int Samples, double BaseLoss, long LossEvaluations,
    double Seconds, string Definition = AverageCaseSharpness.Definition, string Invariance = Invariances.PerWeight);
/// <summary>Worst-case adaptive ℓ∞ m-sharpness (see <see cref="Analysis.MSharpness"/>).</summary>
public sealed record MSharpnessEstimate(double Value, double StandardError, long M, double Rho, int AscentSteps, int Chunks, double FirstOrder,
    double SecondOrder, long Gradients, long LossEvaluations, double Seconds, string Method = "projected sign-gradient ascent per chunk from d=0, best iterate kept",
    string Definition = Analysis.MSharpness.Definition, string Invariance = Invariances.PerWeight);
/// <summary>Kwon et al. 2021 adaptive sharpness at its first-order maximizer (see <see cref="AdaptiveSharpness"/>).</summary>
public sealed record AsamEstimate(double Value, double Rho, double Eta, double BaseLoss, double PerturbedLoss, double FirstOrder,
    double SecondOrder, long Gradients, long LossEvaluations, double Seconds, string Definition = AdaptiveSharpness.Definition,
    string Invariance = Invariances.PerWeight);

/// <summary>Preconditioned sharpness of an Adam run: λ_max(P⁻¹H) by Lanczos on P^(−1/2)·H·P^(−1/2), Adam's stability
/// threshold (2 + 2β1)/((1 − β1)·lr) and their ratio (≈ 1 at the edge of stability; Cohen et al. 2022).</summary>
public sealed record PreconditionedSection(LanczosEstimate Lanczos, double Threshold, double RatioToThreshold, double Lr, double Beta1,
    double Beta2, double Eps, long AdamStep,
    string Definition = "Cohen et al. 2022: lambda_max(P^-1 H), P = (1 - beta1^t) diag(sqrt(v/(1 - beta2^t)) + eps) from the optimizer state at step t; threshold (2 + 2 beta1)/((1 - beta1) lr)");

public sealed record ScaleAwareSection(ScaledEstimate LambdaMaxTimesWeightNormSq, ScaledEstimate FilterNormalizedLambdaMax);
public sealed record ScaledEstimate(double Value, long Hvps, double Seconds, string Invariance);

public sealed record LandscapeSection(
    [property: JsonPropertyName("filter_normalized_1d")] LandscapeEstimate? FilterNormalized1D,
    [property: JsonPropertyName("filter_normalized_2d")] LandscapeEstimate? FilterNormalized2D);
public sealed record LandscapeEstimate(int Points, double Radius, long LossEvaluations, double Seconds, string? Csv, string? Plot,
    string BatchNormStatistics = "no BatchNorm");

/// <summary>Fixed explanations written next to the figures they qualify.</summary>
public static class AnalysisLabels
{
    public const string HessianOf = "mean data loss over the subset; the L2/weight-decay term is excluded (add its coefficient to every eigenvalue to include it)";
    public const string LanczosConverged = "residual bound beta*|s_last| < tolerance*|value|: the value is within that distance of an eigenvalue";
    public const string PowerConverged = "PyHessian rule met (relative change of the Rayleigh quotient < tolerance) before max_iter; no residual bound";
    public const string HutchinsonConverged = "PyHessian rule met (relative change of the running mean < tolerance) after min_probes; the stderr is the error bar";
}

/// <summary>Labels for the "invariance" field.</summary>
public static class Invariances
{
    public const string None = "none: changes when BatchNorm-ed filters are rescaled (not comparable across reparametrizations)";
    public const string PerWeight = "noise scaled by |w|: insensitive to rescaling individual weights, up to the additive epsilon_d";
    public const string GlobalScale = "global rescaling of all weights of a scale-invariant network";
    public const string PerFilter = "per-filter rescaling (each BatchNorm-ed filter separately); biases and BN parameters excluded";
}
