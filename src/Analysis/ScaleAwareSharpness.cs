using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>Scale-aware sharpness figures (see <see cref="ScaleAwareSharpness"/>).</summary>
/// <param name="LambdaMaxTimesWeightNormSquared">λ_max(H)·‖w‖² over all trainable weights.</param>
/// <param name="FilterNormalizedLambdaMax">λ_max(D·H·D), D = per-filter weight norms (see <see cref="FilterScaledHessian"/>).</param>
public sealed record ScaleAwareResult(double LambdaMaxTimesWeightNormSquared, double LambdaMax, double WeightNormSquared,
    double FilterNormalizedLambdaMax, long Hvps, double Seconds);

/// <summary>
/// Sharpness figures that do not move when a BatchNorm-ed network's weights are rescaled (Dinh et al. 2017: raw λ_max,
/// ε/ρ-sharpness can be changed at will by such reparametrizations):
/// <list type="bullet">
/// <item>λ_max·‖w‖²: a global rescaling w → c·w of a scale-invariant net scales H by 1/c² and ‖w‖² by c².
/// Exact only for a single scale-invariant group; a cheap normalization otherwise.</item>
/// <item>filter-normalized λ_max = λ_max(D·H·D): invariant to rescaling each BN-ed filter separately.</item>
/// </list>
/// </summary>
public static class ScaleAwareSharpness
{
    /// <param name="lambdaMax">Raw λ_max already measured (e.g. by Lanczos), reused for the first figure.</param>
    public static ScaleAwareResult Measure(ModelHessian hessian, double lambdaMax, LanczosOptions options)
    {
        var clock = Stopwatch.StartNew();
        long hvps0 = hessian.HvpCount;
        double weightNormSquared;
        using (var w = hessian.Layout.Read()) weightNormSquared = FlatVectors.Dot(w, w);
        using var scaled = new FilterScaledHessian(hessian);
        var result = LanczosEigenSolver.Run(scaled, options);
        foreach (var v in result.TopVectors) v.Dispose();
        return new ScaleAwareResult(lambdaMax * weightNormSquared, lambdaMax, weightNormSquared, result.LambdaMax,
            hessian.HvpCount - hvps0, clock.Elapsed.TotalSeconds);
    }
}
