using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>First-order ρ-sharpness (SAM's inner maximization, Foret et al. 2021): L(w + ρ·g/‖g‖) − L(w).</summary>
public sealed record RhoSharpnessResult(double Value, double Rho, double BaseLoss, double PerturbedLoss, double GradientNorm,
    long Gradients, long LossEvaluations, double Seconds)
{
    /// <summary>ρ‖g‖: the first-order part of the rise (ε̂ᵀg with ε̂ = ρg/‖g‖).</summary>
    public double FirstOrder => Rho * GradientNorm;
    /// <summary>L(w+ε̂) − L(w) − ε̂ᵀg: what curvature adds; near a minimum ≈ ½ρ²·ûᵀHû.</summary>
    public double SecondOrder => Value - FirstOrder;
}

/// <summary>
/// ρ-sharpness as SAM estimates it: one gradient gives the first-order worst-case direction in an L2 ball of radius ρ
/// (ε̂ = ρ·g/‖g‖), and the value is the loss increase there. Not invariant to rescaling weights (see
/// <see cref="ScaleAwareSharpness"/>). Cost: one gradient and one extra loss evaluation over the analysis set.
/// </summary>
public static class RhoSharpness
{
    public static RhoSharpnessResult Measure(ModelHessian objective, double rho = 0.05)
    {
        if (rho <= 0) throw new ArgumentException("rho must be positive");
        var clock = Stopwatch.StartNew();
        long grads0 = objective.GradientCount, losses0 = objective.LossCount;
        using var scope = NewDisposeScope();
        var (baseLoss, gradient) = objective.LossAndGradient();
        double norm = FlatVectors.Norm(gradient);
        double perturbed = norm == 0 ? baseLoss : objective.LossAt(gradient.mul(rho / norm));
        return new RhoSharpnessResult(perturbed - baseLoss, rho, baseLoss, perturbed, norm,
            objective.GradientCount - grads0, objective.LossCount - losses0, clock.Elapsed.TotalSeconds);
    }
}
