using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>Average-case adaptive sharpness: the mean loss rise under Gaussian weight noise, with its standard error.</summary>
public sealed record AverageCaseSharpnessResult(double Value, double StandardError, double Rho, int Samples, double BaseLoss,
    long LossEvaluations, double Seconds);

/// <summary>
/// Average-case adaptive sharpness (Andriushchenko et al. 2023, "A modern look at the relationship between sharpness
/// and generalization", eq. 3 with elementwise adaptivity c = |w|):
/// S_avg = E_{δ ~ N(0, ρ²·diag(w²))} [L(w + δ)] − L(w), estimated by the mean over <c>samples</c> seeded draws, with
/// the standard error of that mean. Each weight is perturbed in proportion to its own magnitude, so rescaling a
/// scale-invariant filter does not change the figure. Unlike the worst-case figures it has no first-order part:
/// E[δ] = 0, so to second order it is ½ρ²·Σᵢ Hᵢᵢwᵢ² (the test's closed form on a quadratic).
/// Cost: <c>samples</c> loss evaluations over the analysis set.
/// </summary>
public static class AverageCaseSharpness
{
    public const string Definition =
        "Andriushchenko et al. 2023 average-case adaptive sharpness: E[L(w+d)] - L(w), d ~ N(0, rho^2 diag(w^2)), mean of seeded samples";

    public static AverageCaseSharpnessResult Measure(ModelHessian objective, double rho = 0.1, int samples = 8, long seed = 0)
    {
        if (rho <= 0 || samples < 1) throw new ArgumentException("rho must be positive and samples at least 1");
        var clock = Stopwatch.StartNew();
        long losses0 = objective.LossCount;
        double baseLoss = objective.Loss();
        using var scope = NewDisposeScope();
        var scale = objective.Layout.Read().abs_().mul_(rho);
        using var generator = new Generator((ulong)seed);
        var rises = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            using var delta = FlatVectors.Gaussian(objective.Dimension, generator).to(scale.dtype, scale.device).mul_(scale);
            rises[s] = objective.LossAt(delta) - baseLoss;
        }
        double mean = rises.Average();
        double stderr = samples > 1 ? Math.Sqrt(rises.Sum(r => (r - mean) * (r - mean)) / (samples - 1) / samples) : double.NaN;
        return new AverageCaseSharpnessResult(mean, stderr, rho, samples, baseLoss, objective.LossCount - losses0, clock.Elapsed.TotalSeconds);
    }
}
