using TrainKit.Training.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Training.Tests.Analysis;

/// <summary>ε-sharpness, ρ-sharpness and PAC-Bayes σ′ against closed forms on quadratics.</summary>
public class SharpnessMeasureTests
{
    const int Dim = 20;
    static readonly double[] Spectrum = QuadraticModel.Spectrum(Dim);

    [Fact]
    public void Rho_sharpness_on_a_quadratic_is_rho_g_plus_half_rho_squared_curvature()
    {
        var model = new QuadraticModel(QuadraticModel.RandomSymmetric(Spectrum, 2), ones(Dim));
        var hessian = QuadraticModel.Hessian(model);
        const double rho = 0.05;
        var result = RhoSharpness.Measure(hessian, rho);
        var g = model.H.mv(ones(Dim, ScalarType.Float64));
        var u = g / g.norm();
        double expected = rho * g.norm().item<double>() + 0.5 * rho * rho * u.dot(model.H.mv(u)).item<double>();
        Assert.Equal(expected, result.Value, 1e-9 * expected);
        Assert.Equal(1, result.Gradients);
    }

    [Fact]
    public void Epsilon_sharpness_on_a_diagonal_quadratic_finds_the_box_corner()
    {
        // f = ½ Σ hᵢ xᵢ² at x = 1: the gradient is positive everywhere, so the maximum over the box
        // |zᵢ| ≤ ε(|xᵢ| + 1) = 2ε is the corner z = 2ε, f = ½ Σ hᵢ (1 + 2ε)².
        var model = new QuadraticModel(diag(tensor(Spectrum, ScalarType.Float64)), ones(Dim));
        const double eps = 1e-3;
        var result = EpsilonSharpness.Measure(QuadraticModel.Hessian(model), eps, steps: 3);
        double f0 = 0.5 * Spectrum.Sum(), fMax = 0.5 * Spectrum.Sum() * (1 + 2 * eps) * (1 + 2 * eps);
        Assert.Equal(fMax, result.MaxLoss, 1e-12);
        Assert.Equal(100 * (fMax - f0) / (1 + f0), result.Value, 1e-9);
        Assert.Equal(3, result.Gradients);
    }

    [Fact]
    public void Epsilon_sharpness_moves_away_from_an_exact_minimum()
    {
        // At x = 0 the gradient is zero: ties are broken by random signs, then ascent follows Hz.
        var model = new QuadraticModel(QuadraticModel.RandomSymmetric(Spectrum, 3), zeros(Dim));
        const double eps = 1e-2;
        var result = EpsilonSharpness.Measure(QuadraticModel.Hessian(model), eps, steps: 5);
        // Any box point has f ≤ ½ λ_max ‖z‖² ≤ ½ λ_max n ε²; a random corner averages ½ ε² tr(H).
        Assert.InRange(result.MaxLoss, 0.25 * eps * eps * Spectrum.Sum(), 0.5 * 100 * Dim * eps * eps);
    }

    [Fact]
    public void Pac_bayes_sigma_halves_when_the_curvature_quadruples()
    {
        // At the minimum c = 1 of ½(x − c)ᵀH(x − c) the increase under noise u = √(σ²·1 + ε²)·ξ is ½(σ² + ε²)·ξᵀHξ,
        // so with the same draws σ′² + ε² scales exactly as 1/curvature, and E ≈ ½(σ² + ε²)·tr(H).
        double Sigma(double scale, int samples) => PacBayesFlatness.Measure(QuadraticModel.Hessian(
            new QuadraticModel(diag(tensor(Spectrum, ScalarType.Float64)) * scale, ones(Dim), ones(Dim))),
            targetIncrease: 0.1, samples: samples, bisectionSteps: 30, seed: 4).Sigma;
        double s1 = Sigma(1, 10), s4 = Sigma(4, 10);
        const double e2 = 1e-6;
        Assert.Equal(0.25, (s4 * s4 + e2) / (s1 * s1 + e2), 1e-6);
        double expected = Math.Sqrt(2 * 0.1 / Spectrum.Sum());
        Assert.InRange(Sigma(1, 100), 0.8 * expected, 1.2 * expected);
    }

    [Fact]
    public void Pac_bayes_reports_the_upper_bound_when_the_loss_never_rises_enough()
    {
        var model = new QuadraticModel(diag(tensor(Spectrum, ScalarType.Float64)) * 1e-6, ones(Dim), ones(Dim));
        var result = PacBayesFlatness.Measure(QuadraticModel.Hessian(model), sigmaMax: 1);
        Assert.True(result.HitUpperBound);
        Assert.Equal(1, result.Sigma);
    }
}
