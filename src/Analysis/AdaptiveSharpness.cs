using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>Adaptive sharpness at the first-order maximizer, its linear part and the rest.</summary>
public sealed record AdaptiveSharpnessResult(double Value, double Rho, double Eta, double BaseLoss, double PerturbedLoss,
    double FirstOrder, double SecondOrder, long Gradients, long LossEvaluations, double Seconds);

/// <summary>
/// Adaptive sharpness (ASAM, Kwon et al. 2021, eq. 5 with p = 2): max over ‖T_w⁻¹ε‖₂ ≤ ρ of L(w + ε) − L(w), with the
/// per-weight normalization T_w = diag(|wᵢ| + η). Rescaling weights (w → c·w on a scale-invariant filter) rescales the
/// admissible ε with them, which is why Andriushchenko et al. 2023 use it to compare networks. Like SAM, the maximizer
/// is first order: ε̂ = ρ·T_w²g / ‖T_w g‖ (Kwon et al., eq. 7). Reported with its first-order part ε̂ᵀg = ρ‖T_w g‖ and the
/// rest, L(w+ε̂) − L(w) − ε̂ᵀg. Defaults ρ = 0.5, η = 0.01 are ASAM's CIFAR-10 settings.
/// Cost: one gradient and one extra loss evaluation over the analysis set.
/// </summary>
public static class AdaptiveSharpness
{
    public const string Definition =
        "Kwon et al. 2021 (ASAM) adaptive sharpness, p=2: L(w+e) - L(w) at e = rho*T^2 g/||T g||, T = diag(|w| + eta) (first-order maximizer)";

    public static AdaptiveSharpnessResult Measure(ModelHessian objective, double rho = 0.5, double eta = 0.01)
    {
        if (rho <= 0 || eta < 0) throw new ArgumentException("rho must be positive and eta non-negative");
        var clock = Stopwatch.StartNew();
        long grads0 = objective.GradientCount, losses0 = objective.LossCount;
        using var scope = NewDisposeScope();
        var (baseLoss, gradient) = objective.LossAndGradient();
        var t = objective.Layout.Read().abs_().add_(eta);
        var tg = t * gradient;
        double norm = FlatVectors.Norm(tg);
        if (norm == 0)
            return new AdaptiveSharpnessResult(0, rho, eta, baseLoss, baseLoss, 0, 0, objective.GradientCount - grads0,
                objective.LossCount - losses0, clock.Elapsed.TotalSeconds);
        var epsilon = (t * tg).mul_(rho / norm);
        double perturbed = objective.LossAt(epsilon);
        double firstOrder = rho * norm;
        return new AdaptiveSharpnessResult(perturbed - baseLoss, rho, eta, baseLoss, perturbed, firstOrder, perturbed - baseLoss - firstOrder,
            objective.GradientCount - grads0, objective.LossCount - losses0, clock.Elapsed.TotalSeconds);
    }
}
