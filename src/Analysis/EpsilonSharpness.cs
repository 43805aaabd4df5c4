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
/// <para>Maximizer (Keskar used L-BFGS-B; this is cheaper and deterministic): <see cref="BoxAscent"/>, projected
/// sign-gradient ascent from z = 0 with bᵢ = ε(|wᵢ| + 1) and α = <c>stepFraction</c>; the value is a lower bound on
/// the true box maximum.</para>
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
        var bound = objective.Layout.Read().abs_().add_(1).mul_(epsilon);
        using var ascent = BoxAscent.Maximize(objective, bound, baseLoss, steps, stepFraction, seed);
        double best = ascent.BestLoss, firstOrder = ascent.FirstOrder;
        return new EpsilonSharpnessResult(100 * (best - baseLoss) / (1 + baseLoss), epsilon, baseLoss, best, steps,
            objective.GradientCount - grads0, objective.LossCount - losses0, clock.Elapsed.TotalSeconds,
            firstOrder, best - baseLoss - firstOrder);
    }
}
