using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Training.Analysis;

/// <summary>Magnitude-aware PAC-Bayes sharpness σ′ (larger = flatter) and Jiang et al.'s flatness measure 1/σ′².</summary>
public sealed record PacBayesResult(double Sigma, double Flatness, double TargetIncrease, double BaseLoss, double LossIncreaseAtSigma,
    int Samples, int BisectionSteps, bool HitUpperBound, long LossEvaluations, double Seconds);

/// <summary>
/// Magnitude-aware PAC-Bayes flatness (Jiang et al. 2020, "Fantastic generalization measures…", §C / measure
/// "pacbayes.mag.flatness"): the largest σ′ such that perturbing every weight with Gaussian noise of variance
/// σ′²·wᵢ² + ε_d² raises the <b>training</b> loss (the analysis batches should be training examples) by at most
/// <c>targetIncrease</c> in expectation, estimated over <c>samples</c> noise draws.
/// <para>σ′ is found by bisection on [0, <c>sigmaMax</c>]. The same seeded unit-normal draws ξ are reused at every σ
/// (common random numbers: u = √(σ²w² + ε²)·ξ), so the estimated increase is a smooth function of σ and the bisection
/// is reproducible. If even σ_max stays under the target, σ_max is reported and <c>HitUpperBound</c> is set.</para>
/// Cost: samples·(bisectionSteps + 1) + 1 loss evaluations.
/// </summary>
public static class PacBayesFlatness
{
    public static PacBayesResult Measure(ModelHessian objective, double targetIncrease = 0.1, int samples = 5, int bisectionSteps = 12,
        double sigmaMax = 1.0, double epsilonD = 1e-3, long seed = 0)
    {
        if (targetIncrease <= 0 || samples < 1 || bisectionSteps < 1 || sigmaMax <= 0)
            throw new ArgumentException("targetIncrease, samples, bisectionSteps and sigmaMax must be positive");
        var clock = Stopwatch.StartNew();
        long losses0 = objective.LossCount;
        double baseLoss = objective.Loss();
        using var scope = NewDisposeScope();
        var weightsSquared = objective.Layout.Read().square();
        using var generator = new Generator((ulong)seed);
        var draws = Enumerable.Range(0, samples).Select(_ => FlatVectors.Gaussian(objective.Dimension, generator)).ToArray();

        double Increase(double sigma)
        {
            using var inner = NewDisposeScope();
            var std = weightsSquared.mul(sigma * sigma).add_(epsilonD * epsilonD).sqrt_();
            return draws.Average(xi => objective.LossAt(std * xi)) - baseLoss;
        }

        double lo = 0, hi = sigmaMax;
        double increaseAtHi = Increase(hi);
        bool hitUpper = increaseAtHi <= targetIncrease;
        double increaseAtLo = double.NaN;
        if (!hitUpper)
        {
            for (int s = 0; s < bisectionSteps; s++)
            {
                double mid = 0.5 * (lo + hi);
                double increase = Increase(mid);
                if (increase <= targetIncrease) { lo = mid; increaseAtLo = increase; }
                else hi = mid;
            }
        }
        double sigma = hitUpper ? sigmaMax : lo;
        double at = hitUpper ? increaseAtHi : increaseAtLo;
        return new PacBayesResult(sigma, sigma > 0 ? 1 / (sigma * sigma) : double.PositiveInfinity, targetIncrease, baseLoss, at,
            samples, hitUpper ? 0 : bisectionSteps, hitUpper, objective.LossCount - losses0, clock.Elapsed.TotalSeconds);
    }
}
