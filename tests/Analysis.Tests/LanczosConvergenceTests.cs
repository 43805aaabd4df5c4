using TrainKit.Analysis;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>"converged" means the residual bound holds (issue 17, item 6); a stalled run is reported as stalled.</summary>
public class LanczosConvergenceTests(ITestOutputHelper output)
{
    [Fact]
    public void On_a_flat_spectrum_a_stalled_run_is_not_called_converged()
    {
        // A uniform spectrum in (0, 1] of dimension 3000: the top Ritz value creeps up by less than the tolerance per
        // step long before it is within the tolerance of λ_max = 1.
        const int n = 3000;
        var spectrum = Enumerable.Range(1, n).Select(i => (double)i / n).ToArray();
        var model = new QuadraticModel(diag(tensor(spectrum, ScalarType.Float64)), ones(n));
        const double tolerance = 1e-3;
        var result = LanczosEigenSolver.Run(QuadraticModel.Hessian(model), new LanczosOptions(TopK: 1, MaxSteps: 30, Tolerance: tolerance));
        double error = 1 - result.LambdaMax;
        output.WriteLine($"λ {result.LambdaMax:G8} after {result.Steps} steps: error {error:E2} (tolerance {tolerance:E0}), " +
                         $"residual bound {result.ResidualBounds[0]:E2}, converged {result.Converged}, stalled {result.Stalled}");
        Assert.True(error > tolerance, "the scenario: the run stops short of the tolerance");
        Assert.False(result.Converged);
        Assert.True(result.ResidualBounds[0] >= error, "the residual bound is a rigorous bound on the distance to an eigenvalue");
    }

    [Fact]
    public void A_converged_run_is_within_its_residual_bound_of_the_eigenvalue()
    {
        var model = new QuadraticModel(QuadraticModel.RandomSymmetric(QuadraticModel.Spectrum(30), 1), ones(30));
        var result = LanczosEigenSolver.Run(QuadraticModel.Hessian(model), new LanczosOptions(TopK: 2, MaxSteps: 30, Tolerance: 1e-8));
        Assert.True(result.Converged);
        Assert.False(result.Stalled);
        Assert.InRange(100 - result.RitzValues[0], -1e-9, Math.Max(result.ResidualBounds[0], 1e-9));
        Assert.InRange(10 - result.RitzValues[1], -1e-9, Math.Max(result.ResidualBounds[1], 1e-9));
    }
}
