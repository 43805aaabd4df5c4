using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>Keskar et al.'s ε-sharpness: 100·(max loss in the box − L(w))/(1 + L(w)), with the maximizer's cost.</summary>
/// <param name="FirstOrder">zᵀ∇L(w) at the maximizer z; <paramref name="SecondOrder"/> = MaxLoss − BaseLoss − FirstOrder.</param>
public sealed record EpsilonSharpnessResult(double Value, double Epsilon, double BaseLoss, double MaxLoss, int AscentSteps,
    long Gradients, long LossEvaluations, double Seconds, double FirstOrder = double.NaN, double SecondOrder = double.NaN);

/// <summary>
/// ε-sharpness (Keskar et al. 2017, "On large-batch training…", metric 2.1 with A = I):
/// φ = 100 · (max_{z ∈ C_ε} L(w + z) − L(w)) / (1 + L(w)),  C_ε = { z : |zᵢ| ≤ ε(|wᵢ| + 1) }.
/// <para>Maximizer (Keskar used L-BFGS-B; this is cheaper and deterministic): projected sign-gradient ascent from
/// z = 0, i.e. PGD in the box's own geometry: z ← clip(z + α·b⊙sign(∇L(w+z)), −b, b) with bᵢ = ε(|wᵢ| + 1) and
/// α = <c>stepFraction</c> (default ½, so two steps reach a corner and later steps refine it). The sign step is the
/// exact maximizer of the linearized loss over the box, so one step already gives the first-order answer. The best
/// loss seen over all iterates is kept, so the value is a lower bound on the true box maximum. Coordinates whose
/// gradient is exactly zero (e.g. at an exact minimum, where plain ascent from z = 0 could not move) take a seeded
/// random sign.</para>
/// Cost: <c>steps</c> gradients and <c>steps + 1</c> loss evaluations over the analysis set.
/// </summary>
public static class EpsilonSharpness
{
    public static EpsilonSharpnessResult Measure(ModelHessian objective, double epsilon = 1e-3, int steps = 5, double stepFraction = 0.5, long seed = 0)
    {
        if (epsilon <= 0 || steps < 1 || stepFraction <= 0) throw new ArgumentException("epsilon, steps and stepFraction must be positive");
        var clock = Stopwatch.StartNew();
        long grads0 = objective.GradientCount, losses0 = objective.LossCount;
        double baseLoss = objective.Loss();
        using var scope = NewDisposeScope();
        var weights = objective.Layout.Read();
        var bound = weights.abs().add_(1).mul_(epsilon);
        var z = zeros_like(bound);
        double best = baseLoss;
        Tensor? bestZ = null;
        Tensor? gradientAtW = null;
        using var generator = new Generator((ulong)seed);
        for (int s = 0; s < steps; s++)
        {
            var (_, gradient) = objective.LossAndGradientAt(z);
            gradientAtW ??= gradient.clone();   // the first step is at z = 0
            using var tieBreak = FlatVectors.Rademacher(objective.Dimension, generator);
            using var direction = where(gradient.eq(0), tieBreak, gradient.sign());
            var next = z.add(bound.mul(direction).mul_(stepFraction));
            z.Dispose();
            z = minimum(maximum(next, -bound), bound);
            double loss = objective.LossAt(z);
            if (loss > best) { best = loss; bestZ?.Dispose(); bestZ = z.clone(); }
            gradient.Dispose();
            next.Dispose();
        }
        double firstOrder = bestZ is null ? 0 : FlatVectors.Dot(bestZ, gradientAtW!);
        return new EpsilonSharpnessResult(100 * (best - baseLoss) / (1 + baseLoss), epsilon, baseLoss, best, steps,
            objective.GradientCount - grads0, objective.LossCount - losses0, clock.Elapsed.TotalSeconds,
            firstOrder, best - baseLoss - firstOrder);
    }
}
