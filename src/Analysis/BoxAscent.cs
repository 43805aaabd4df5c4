using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>The best point a box ascent found: its loss, the perturbation z (null when no step beat the base loss) and
/// the gradient at z = 0 (for the first-order part zᵀ∇L(w)).</summary>
sealed record BoxAscentResult(double BestLoss, Tensor? BestZ, Tensor GradientAtW) : IDisposable
{
    public double FirstOrder => BestZ is null ? 0 : FlatVectors.Dot(BestZ, GradientAtW);

    public void Dispose()
    {
        BestZ?.Dispose();
        GradientAtW.Dispose();
    }
}

/// <summary>
/// Maximizes L(w + z) over the box |zᵢ| ≤ bᵢ by projected sign-gradient ascent from z = 0 (PGD in the box's own
/// geometry): z ← clip(z + α·b⊙sign(∇L(w+z)), −b, b). The sign step is the exact maximizer of the linearized loss
/// over the box, so one step gives the first-order answer; α = ½ reaches a corner in two steps and later steps refine
/// it. The best loss over all iterates is kept (a lower bound on the box maximum). Coordinates whose gradient is
/// exactly zero take a seeded random sign, so an exact minimum does not stall the ascent. Shared by Keskar's
/// ε-sharpness (b = ε(|w| + 1)) and the worst-case adaptive m-sharpness (b = ρ|w|).
/// Cost: <c>steps</c> gradients and <c>steps</c> loss evaluations over the objective's batches.
/// </summary>
static class BoxAscent
{
    public static BoxAscentResult Maximize(ModelHessian objective, Tensor bound, double baseLoss, int steps, double stepFraction, long seed)
    {
        var z = zeros_like(bound);
        double best = baseLoss;
        Tensor? bestZ = null;
        Tensor? gradientAtW = null;
        using var generator = new Generator((ulong)seed);
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            var (_, gradient) = objective.LossAndGradientAt(z);
            if (gradientAtW is null) gradientAtW = gradient.clone().MoveToOuterDisposeScope();   // the first step is at z = 0
            var tieBreak = FlatVectors.Rademacher(objective.Dimension, generator).to(gradient.dtype, gradient.device);
            var direction = where(gradient.eq(0), tieBreak, gradient.sign());
            var next = minimum(maximum(z.add(bound.mul(direction).mul_(stepFraction)), -bound), bound);
            z.Dispose();
            z = next.MoveToOuterDisposeScope();
            double loss = objective.LossAt(z);
            if (loss > best)
            {
                best = loss;
                bestZ?.Dispose();
                bestZ = z.clone().MoveToOuterDisposeScope();
            }
        }
        z.Dispose();
        return new BoxAscentResult(best, bestZ, gradientAtW!);
    }
}
