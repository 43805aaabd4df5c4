using TorchSharp;
using TrainKit.Analysis;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>The estimators on a real (small) trained network: exact HVPs against finite differences of gradients, and
/// λ_max by power iteration, Lanczos and a finite-difference Rayleigh quotient agreeing.</summary>
[Collection(TrainedCnnCollection.Name)]
public class TrainedModelHessianTests(TrainedCnnFixture fixture, ITestOutputHelper output)
{
    ModelHessian NewHessian() => new(fixture.NewModel(), TrainedCnnFixture.CrossEntropy, fixture.Batches);

    /// <summary>vᵀ-free central difference (∇L(w + h·v) − ∇L(w − h·v)) / 2h ≈ H·v.</summary>
    static Tensor FiniteDifferenceHvp(ModelHessian hessian, Tensor v, double h)
    {
        var (_, plus) = hessian.LossAndGradientAt(v * h);
        var (_, minus) = hessian.LossAndGradientAt(v * -h);
        return (plus - minus) / (2 * h);
    }

    [Fact]
    public void Hvp_matches_finite_differences_of_gradients()
    {
        using var scope = NewDisposeScope();
        var hessian = NewHessian();
        using var generator = new Generator(11);
        var v = FlatVectors.Normalized(FlatVectors.Gaussian(hessian.Dimension, generator));
        var exact = hessian.Multiply(v);
        var approx = FiniteDifferenceHvp(hessian, v, 1e-2);
        double relative = (exact - approx).norm().item<double>() / exact.norm().item<double>();
        output.WriteLine($"float32: parameters {hessian.Dimension}, |Hv| {exact.norm().item<double>():G4}, relative FD error (h=1e-2) {relative:E2}");
        Assert.True(relative < 1e-2, $"relative error {relative}");
        // Perturbed evaluations restore the weights exactly.
        using var fresh = new ParameterLayout(fixture.NewModel().parameters()).Read();
        using var after = hessian.Layout.Read();
        Assert.Equal(0, (after - fresh).abs().max().item<double>());
    }

    [Fact]
    public void Hvp_matches_finite_differences_to_second_order_in_float64()
    {
        // The same trained network in float64: the central difference error is O(h²), so the check is sharp.
        using var scope = NewDisposeScope();
        var model = fixture.NewModel();
        model.to(ScalarType.Float64);
        var batches = fixture.Batches.Select(b => new AnalysisBatch(b.Input.to(ScalarType.Float64), b.Target)).ToList();
        var hessian = new ModelHessian(model, TrainedCnnFixture.CrossEntropy, batches);
        using var generator = new Generator(12);
        var v = FlatVectors.Normalized(FlatVectors.Gaussian(hessian.Dimension, generator));
        var exact = hessian.Multiply(v);
        double Error(double h) => (exact - FiniteDifferenceHvp(hessian, v, h)).norm().item<double>() / exact.norm().item<double>();
        double coarse = Error(1e-2), fine = Error(1e-3);
        output.WriteLine($"float64: relative FD error h=1e-2 {coarse:E2}, h=1e-3 {fine:E2}");
        Assert.True(fine < 1e-6, $"relative error {fine}");
        Assert.InRange(coarse / fine, 30, 300);   // second order: ×100 for h ×10
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Lambda_max_from_power_iteration_lanczos_and_finite_differences_agree_within_1_percent()
    {
        using var scope = NewDisposeScope();
        var hessian = NewHessian();
        var lanczos = LanczosEigenSolver.Run(hessian, new LanczosOptions(TopK: 1, MaxSteps: 30, Tolerance: 1e-3));
        var power = PowerIteration.Run(hessian);   // PyHessian defaults: maxIter 100, tol 1e-3
        var y = lanczos.TopVectors[0];
        double rayleighFd = FlatVectors.Dot(y, FiniteDifferenceHvp(hessian, y, 1e-2));
        var reference = LanczosEigenSolver.Run(hessian, new LanczosOptions(TopK: 1, MaxSteps: 60, Tolerance: 1e-9, Seed: 99));
        output.WriteLine($"lanczos {lanczos.LambdaMax:G6} ({lanczos.Hvps} HVPs, converged {lanczos.Converged}, {lanczos.Seconds:F2}s); " +
                         $"power {power.LambdaMax:G6} ({power.Hvps} HVPs, {power.Seconds:F2}s); FD Rayleigh {rayleighFd:G6}; " +
                         $"reference (60-step Lanczos) {reference.LambdaMax:G6}");
        Assert.True(lanczos.Converged && lanczos.Hvps <= 30, $"Lanczos used {lanczos.Hvps} HVPs");
        Assert.Equal(reference.LambdaMax, lanczos.LambdaMax, 1e-3 * reference.LambdaMax);
        Assert.Equal(lanczos.LambdaMax, power.LambdaMax, 0.01 * lanczos.LambdaMax);
        Assert.Equal(lanczos.LambdaMax, rayleighFd, 0.01 * lanczos.LambdaMax);
    }
}
