using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

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

    /// <summary>At the minimum c = 1 of ½(x − c)ᵀH(x − c) with x = 1, noise u = √(σ²·1 + ε²)·ξ raises the loss by
    /// ½(σ² + ε²)·ξᵀHξ, so with the probe's own seeded draws the exact σ′ is √(2·target / mean ξᵀHξ − ε²).</summary>
    static double ExactSigma(Tensor h, int samples, long seed, double target)
    {
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        double mean = Enumerable.Range(0, samples).Select(_ => FlatVectors.Gaussian(Dim, generator)).Average(xi => xi.dot(h.mv(xi)).item<double>());
        return Math.Sqrt(2 * target / mean - PacBayesFlatness.EpsilonD * PacBayesFlatness.EpsilonD);
    }

    [Fact]
    public void Pac_bayes_sigma_is_the_bracket_midpoint_within_the_stated_tolerance_not_a_dyadic_lower_end()
    {
        var h = diag(tensor(Spectrum, ScalarType.Float64));
        foreach (var (scale, tolerance) in new[] { (1.0, 1e-2), (4.0, 1e-2), (1.0, 1e-4) })
        {
            var result = PacBayesFlatness.MeasureLossIncrease(QuadraticModel.Hessian(new QuadraticModel(h * scale, ones(Dim), ones(Dim))),
                targetIncrease: 0.1, samples: 5, relativeTolerance: tolerance, seed: 4);
            double exact = ExactSigma(h * scale, 5, 4, 0.1);
            Assert.InRange(exact, result.Bracket.Lower, result.Bracket.Upper);
            Assert.True(result.Bracket.RelativeWidth <= tolerance, $"bracket [{result.Bracket.Lower}, {result.Bracket.Upper}]");
            Assert.Equal(Math.Sqrt(result.Bracket.Lower * result.Bracket.Upper), result.Sigma, 1e-15);
            Assert.Equal(exact, result.Sigma, tolerance * exact);
            Assert.InRange(result.CriterionAtLower, 0, 0.1);
        }
    }

    [Fact]
    public void Pac_bayes_sigma_halves_when_the_curvature_quadruples()
    {
        double Sigma(double scale, int samples) => PacBayesFlatness.MeasureLossIncrease(QuadraticModel.Hessian(
            new QuadraticModel(diag(tensor(Spectrum, ScalarType.Float64)) * scale, ones(Dim), ones(Dim))),
            targetIncrease: 0.1, samples: samples, relativeTolerance: 1e-7, maxBisectionSteps: 60, seed: 4).Sigma;
        double s1 = Sigma(1, 10), s4 = Sigma(4, 10);
        const double e2 = 1e-6;
        Assert.Equal(0.25, (s4 * s4 + e2) / (s1 * s1 + e2), 1e-5);
        double expected = Math.Sqrt(2 * 0.1 / Spectrum.Sum());
        Assert.InRange(Sigma(1, 100), 0.8 * expected, 1.2 * expected);
    }

    [Fact]
    public void Pac_bayes_reports_the_upper_bound_when_the_loss_never_rises_enough()
    {
        var model = new QuadraticModel(diag(tensor(Spectrum, ScalarType.Float64)) * 1e-6, ones(Dim), ones(Dim));
        var result = PacBayesFlatness.MeasureLossIncrease(QuadraticModel.Hessian(model), sigmaMax: 1);
        Assert.True(result.HitUpperBound);
        Assert.Equal(1, result.Sigma);
    }

    [Fact]
    public void Second_order_parts_of_rho_and_epsilon_sharpness_are_the_curvature_term_on_a_quadratic()
    {
        // Away from the minimum (x = 1, c = 0) the rise is mostly gᵀε; what is left is exactly ½εᵀHε.
        var model = new QuadraticModel(QuadraticModel.RandomSymmetric(Spectrum, 2), ones(Dim));
        var rho = RhoSharpness.Measure(QuadraticModel.Hessian(model), 0.05);
        var g = model.H.mv(ones(Dim, ScalarType.Float64));
        var e = g * (0.05 / g.norm().item<double>());
        Assert.Equal(0.5 * e.dot(model.H.mv(e)).item<double>(), rho.SecondOrder, 1e-10);
        Assert.True(rho.FirstOrder > 10 * rho.SecondOrder);
        var diagonal = new QuadraticModel(diag(tensor(Spectrum, ScalarType.Float64)), ones(Dim));
        var eps = EpsilonSharpness.Measure(QuadraticModel.Hessian(diagonal), 1e-3, steps: 3);
        // Maximizer z = 2ε at every coordinate: second-order part ½Σhᵢ(2ε)².
        Assert.Equal(0.5 * Spectrum.Sum() * 4e-6, eps.SecondOrder, 1e-12);
    }

    [Fact]
    public void Adaptive_sharpness_is_invariant_to_rescaling_weights_where_sam_is_not()
    {
        // f(x) = ½ Σ hᵢ xᵢ² ; reparametrize x = c·y: f(y) = ½ Σ hᵢ c² yᵢ². With η = 0 ASAM's ε = ρ·T²g/‖Tg‖, T = |w|,
        // gives the same function change in both parametrizations; SAM's does not.
        var h = diag(tensor(Spectrum, ScalarType.Float64));
        var a = QuadraticModel.Hessian(new QuadraticModel(h, ones(Dim)));
        var b = QuadraticModel.Hessian(new QuadraticModel(h * 9, ones(Dim) / 3));
        double asamA = AdaptiveSharpness.Measure(a, 0.5, eta: 0).Value, asamB = AdaptiveSharpness.Measure(b, 0.5, eta: 0).Value;
        Assert.Equal(asamA, asamB, 1e-6 * asamA);
        Assert.NotEqual(RhoSharpness.Measure(a, 0.05).Value, RhoSharpness.Measure(b, 0.05).Value, 3);
    }
}
