using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>Acceptance tests on f(x) = ½xᵀHx, H = Q·diag(100, 10, 1, …)·Qᵀ: every estimator against the known spectrum.</summary>
public class QuadraticSpectrumTests
{
    const int Dim = 30;

    static (QuadraticModel Model, ModelHessian Hessian, double[] Spectrum) Setup(long seed = 1)
    {
        var spectrum = QuadraticModel.Spectrum(Dim);
        var model = new QuadraticModel(QuadraticModel.RandomSymmetric(spectrum, seed), ones(Dim));
        return (model, QuadraticModel.Hessian(model), spectrum);
    }

    [Fact]
    public void Hessian_vector_product_is_exact()
    {
        var (model, hessian, _) = Setup();
        using var generator = new TorchSharp.torch.Generator(7);
        var v = randn(new long[] { Dim }, ScalarType.Float64, generator: generator);
        var hv = hessian.Multiply(v);
        double error = (hv - model.H.mv(v)).abs().max().item<double>();
        Assert.True(error < 1e-10, $"max error {error}");
        Assert.Equal(1, hessian.HvpCount);
    }

    [Fact]
    public void Lanczos_recovers_top_eigenvalues_to_1e6()
    {
        var (_, hessian, spectrum) = Setup();
        var result = LanczosEigenSolver.Run(hessian, new LanczosOptions(TopK: 3, MaxSteps: Dim, Tolerance: 1e-10));
        Assert.Equal(100, result.RitzValues[0], 100 * 1e-6);
        Assert.Equal(10, result.RitzValues[1], 10 * 1e-6);
        Assert.Equal(spectrum[2], result.RitzValues[2], 1e-6);
        // Ritz vector is an eigenvector: ‖Hy − λy‖ small.
        var y = result.TopVectors[0];
        double residual = (hessian.Multiply(y) - 100 * y).norm().item<double>();
        Assert.True(residual < 1e-4, $"residual {residual}");
        Assert.True(result.Hvps <= Dim, $"{result.Hvps} products");
    }

    [Fact]
    public void Power_iteration_recovers_lambda_max_to_1e6()
    {
        var (_, hessian, _) = Setup();
        var result = PowerIteration.Run(hessian, topN: 2, maxIter: 200, tol: 1e-10);
        Assert.Equal(100, result.Eigenvalues[0], 100 * 1e-6);
        Assert.Equal(10, result.Eigenvalues[1], 10 * 1e-6);
        Assert.Equal(result.Hvps, result.Iterations.Sum());
    }

    [Fact]
    public void Power_iteration_with_PyHessian_defaults_stops_early_and_is_close()
    {
        var (_, hessian, _) = Setup();
        var result = PowerIteration.Run(hessian);   // maxIter 100, tol 1e-3
        Assert.InRange(result.Hvps, 2, 20);
        Assert.Equal(100, result.LambdaMax, 100 * 1e-3);
    }

    [Fact]
    public void Hutchinson_is_exact_for_a_diagonal_hessian()
    {
        var diagonal = tensor(QuadraticModel.Spectrum(Dim), ScalarType.Float64);
        var model = new QuadraticModel(diag(diagonal), ones(Dim));
        var estimate = HutchinsonTrace.Estimate(QuadraticModel.Hessian(model), minProbes: 5);
        double trace = diagonal.sum().item<double>();
        Assert.All(estimate.Samples, s => Assert.Equal(trace, s, 1e-9));
        Assert.Equal(trace, estimate.Value, 1e-9);
        Assert.Equal(0, estimate.StandardError, 1e-9);
        Assert.Equal(5, estimate.Probes);
    }

    [Fact]
    public void Hutchinson_on_a_rotated_hessian_is_within_a_few_standard_errors()
    {
        var (_, hessian, spectrum) = Setup();
        var estimate = HutchinsonTrace.Estimate(hessian, maxIter: 200, tol: 0, minProbes: 200, seed: 3);
        Assert.True(estimate.StandardError > 0);
        Assert.InRange(spectrum.Sum(), estimate.Value - 4 * estimate.StandardError, estimate.Value + 4 * estimate.StandardError);
    }

    [Fact]
    public void Slq_quadrature_reproduces_the_probe_moments_exactly_and_the_spectral_moments_on_average()
    {
        // Gauss quadrature with m nodes is exact for polynomials of degree ≤ 2m − 1: for the probe v of each run,
        // Σ wⱼθⱼᵏ = vᵀHᵏv/‖v‖². A wrong weight (e.g. a non-squared or wrong-row eigenvector component) breaks this
        // for k ≥ 1 even when the weights still sum to 1.
        var (model, hessian, spectrum) = Setup();
        const int steps = 6, runs = 40;
        var slq = StochasticLanczosQuadrature.Estimate(hessian, steps, runs, seed: 5);
        using var generator = new TorchSharp.torch.Generator(5);
        for (int r = 0; r < runs; r++)
        {
            var v = FlatVectors.Rademacher(Dim, generator);
            var hk = v.clone();
            for (int k = 1; k <= 2 * steps - 1; k++)
            {
                hk = model.H.mv(hk);
                double exact = v.dot(hk).item<double>() / Dim;
                double quadrature = slq.Nodes[r].Zip(slq.Weights[r]).Sum(p => p.Second * Math.Pow(p.First, k));
                Assert.Equal(exact, quadrature, 1e-8 * Math.Pow(100, k));
            }
        }
        // Over probes, the first two moments approach tr(H)/n and tr(H²)/n (Rademacher: stderr from the spread).
        Assert.Equal(spectrum.Average(), slq.Moment(1), 0.15 * spectrum.Average());
        Assert.Equal(spectrum.Average(x => x * x), slq.Moment(2), 0.3 * spectrum.Average(x => x * x));
    }

    [Fact]
    public void Slq_weights_sum_to_one_and_density_brackets_the_spectrum()
    {
        var (_, hessian, spectrum) = Setup();
        var slq = StochasticLanczosQuadrature.Estimate(hessian, steps: 20, runs: 3, seed: 5);
        Assert.All(slq.Nodes, run => Assert.InRange(run.Max(), 100 - 1e-6, 100 + 1e-6));   // the outlier is found
        Assert.All(slq.Nodes, run => Assert.True(run.Min() >= spectrum.Min() - 1e-9));   // Ritz values interlace inside
        var (grid, density) = slq.Broadened(bins: 2000);
        Assert.True(grid[0] <= spectrum.Min() && grid[^1] >= spectrum.Max());
        Assert.Equal(1, density.Sum() * (grid[1] - grid[0]), 1e-9);
        Assert.All(density, d => Assert.True(d >= 0));
        // Mass near λ=100 is about 1/Dim (one eigenvalue of Dim).
        double mass = 0;
        for (int i = 0; i < grid.Length; i++) if (grid[i] > 50) mass += density[i] * (grid[1] - grid[0]);
        Assert.InRange(mass, 0.2 / Dim, 5.0 / Dim);
    }
}

public class AnalysisInputValidationTests
{
    [Fact]
    public void Batches_of_unequal_size_are_weighted_by_their_size()
    {
        // f = mean over examples of ½ aᵢ·xᵀHx with per-example weights aᵢ: a batch of 3 and a batch of 1. An unweighted
        // mean of batch means would give (mean(a₀..a₂) + a₃)/2 instead of mean(a₀..a₃).
        var h = QuadraticModel.RandomSymmetric(QuadraticModel.Spectrum(6), 4);
        var model = new QuadraticModel(h, ones(6));
        AnalysisLoss loss = (output, target) => (output * target).mean();
        var a = new[] { 1.0, 2.0, 3.0, 10.0 };
        var unequal = new ModelHessian(model, loss, [
            new AnalysisBatch(zeros(3), tensor(a[..3])), new AnalysisBatch(zeros(1), tensor(a[3..]))]);
        var single = new ModelHessian(model, loss, [new AnalysisBatch(zeros(4), tensor(a))]);
        Assert.Equal(single.Loss(), unequal.Loss(), 1e-12);
        Assert.Equal(a.Average() * 0.5 * ones(6, ScalarType.Float64).dot(h.mv(ones(6, ScalarType.Float64))).item<double>(), unequal.Loss(), 1e-10);
        var v = ones(6, ScalarType.Float64);
        Assert.Equal(0, (single.Multiply(v) - unequal.Multiply(v)).abs().max().item<double>(), 1e-12);
        Assert.Equal(0, (single.LossAndGradient().Gradient - unequal.LossAndGradient().Gradient).abs().max().item<double>(), 1e-12);
        Assert.Equal(0, (unequal.Multiply(v) - h.mv(v) * a.Average()).abs().max().item<double>(), 1e-10);
    }

    [Fact]
    public void Wrong_vector_length_and_non_scalar_loss_are_managed_errors()
    {
        var model = new QuadraticModel(eye(4, dtype: ScalarType.Float64), ones(4));
        var hessian = QuadraticModel.Hessian(model);
        Assert.Throws<ArgumentException>(() => hessian.Multiply(ones(5, ScalarType.Float64)));
        Assert.Throws<ArgumentException>(() => LanczosEigenSolver.Run(hessian, new LanczosOptions(), ones(3, ScalarType.Float64)));
        var perExample = new ModelHessian(model, (output, _) => output.expand(3), [new AnalysisBatch(zeros(1), zeros(1))]);
        Assert.Throws<ArgumentException>(() => perExample.Loss());
        Assert.Throws<ArgumentException>(() => new ModelHessian(model, (o, _) => o, []));
    }
}
