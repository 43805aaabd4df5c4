using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>TrainKit's estimators against an independent computation: PyTorch 1.13's dense Hessian
/// (torch.autograd.functional.hessian) of a float64 tanh MLP, 51 weights, whose top two eigenvalues are close
/// (1.2048, 1.1242) and whose spectrum has a negative part (λ_min = −0.3775). Fixture: tools/sharpness/reference.py.</summary>
public class PyTorchReferenceTests
{
    static readonly MlpReference Reference = new();

    [Fact]
    public void Loss_and_gradient_match_PyTorch_with_unequal_batches()
    {
        var hessian = Reference.NewHessian();
        var (loss, gradient) = hessian.LossAndGradient();
        Assert.Equal(Reference.Number("loss"), loss, 1e-13);
        Assert.Equal(Reference.Number("gradient_norm"), FlatVectors.Norm(gradient), 1e-13);
    }

    [Fact]
    public void Hessian_vector_products_reproduce_PyTorch_dense_Hessian_columns()
    {
        var hessian = Reference.NewHessian();
        int n = Reference.Dimension;
        double worst = 0;
        foreach (int column in new[] { 0, 7, 29, 30, 47, 50 })   // first- and second-layer weights and biases
        {
            var e = zeros(n, ScalarType.Float64);
            e[column] = 1.0;
            var hv = hessian.Multiply(e).data<double>().ToArray();
            for (int i = 0; i < n; i++) worst = Math.Max(worst, Math.Abs(hv[i] - Reference.Hessian[i, column]));
        }
        Assert.True(worst < 1e-12, $"max |Hv − H[:, j]| = {worst:G3}");
    }

    [Fact]
    public void Lanczos_lambda_max_and_top3_match_the_exact_spectrum()
    {
        var result = LanczosEigenSolver.Run(Reference.NewHessian(), new LanczosOptions(TopK: 3, MaxSteps: Reference.Dimension, Tolerance: 1e-6));
        var top3 = Reference.Doubles("top3");
        // At this tolerance the stall rule fires first (Ritz values settle at ~bound²/gap): stalled, not converged.
        Assert.True(result.Stalled && !result.Converged, $"steps {result.Steps}, bounds {string.Join(", ", result.ResidualBounds)}");
        for (int i = 0; i < 3; i++)
        {
            // The residual bound is rigorous (an eigenvalue lies within it); the Ritz value error is far smaller.
            Assert.True(Math.Abs(result.RitzValues[i] - top3[i]) <= result.ResidualBounds[i], $"bound {result.ResidualBounds[i]:G3}");
            Assert.Equal(top3[i], result.RitzValues[i], 1e-8 * Math.Abs(top3[i]));
        }
        Assert.True(result.Steps < Reference.Dimension, $"{result.Steps} steps");
    }

    [Fact]
    public void Lanczos_run_to_an_invariant_subspace_is_exact_and_converged()
    {
        // Tolerance 0 disables both stopping rules: the run goes on until the Krylov space is all of R^51 (breakdown).
        var result = LanczosEigenSolver.Run(Reference.NewHessian(), new LanczosOptions(TopK: 3, MaxSteps: Reference.Dimension, Tolerance: 0));
        Assert.True(result.Converged && !result.Stalled);
        var exact = Reference.Doubles("eigenvalues_ascending");
        Assert.Equal(exact[^1], result.RitzValues[0], 1e-11);
        Assert.Equal(exact[0], result.RitzValues[^1], 1e-11);
    }

    [Fact]
    public void Lanczos_on_a_tolerance_below_reach_reports_stalled_not_converged_and_its_bound_still_holds()
    {
        // 1e-10 relative on the residual bound is not reached before the Ritz values stop moving (they are exact to
        // ~bound²/gap much earlier): the run must say stalled, not converged, and the bound it reports must be true.
        var result = LanczosEigenSolver.Run(Reference.NewHessian(), new LanczosOptions(TopK: 3, MaxSteps: Reference.Dimension, Tolerance: 1e-10));
        var top3 = Reference.Doubles("top3");
        Assert.False(result.Converged);
        Assert.True(result.Stalled);
        for (int i = 0; i < 3; i++) Assert.True(Math.Abs(result.RitzValues[i] - top3[i]) <= result.ResidualBounds[i] + 1e-15);
    }

    [Fact]
    public void Lanczos_on_minus_H_gives_the_exact_negative_lambda_min()
    {
        var result = LanczosEigenSolver.Run(new NegatedOperator(Reference.NewHessian()),
            new LanczosOptions(TopK: 1, MaxSteps: Reference.Dimension, Tolerance: 1e-6, Seed: 3));
        double lambdaMin = Reference.Number("lambda_min");
        Assert.True(lambdaMin < -0.3, "the fixture must be indefinite for this test to mean anything");
        Assert.True(result.Converged || result.Stalled, $"steps {result.Steps}");
        Assert.True(Math.Abs(-result.LambdaMax - lambdaMin) <= result.ResidualBounds[0], $"bound {result.ResidualBounds[0]:G3}");
        Assert.Equal(lambdaMin, -result.LambdaMax, 1e-8 * Math.Abs(lambdaMin));
    }

    [Fact]
    public void Power_iteration_reaches_lambda_max_despite_a_close_second_eigenvalue()
    {
        var result = PowerIteration.Run(Reference.NewHessian(), topN: 1, maxIter: 2000, tol: 1e-12);
        Assert.Equal(Reference.Number("lambda_max"), result.LambdaMax, 1e-7);
    }

    [Fact]
    public void Hutchinson_trace_is_within_its_stated_error_and_the_error_is_honest()
    {
        const int probes = 400;
        var estimate = HutchinsonTrace.Estimate(Reference.NewHessian(), maxIter: probes, minProbes: probes, seed: 11);
        double trace = Reference.Number("trace");
        Assert.Equal(probes, estimate.Probes);
        Assert.True(Math.Abs(estimate.Value - trace) <= 4 * estimate.StandardError,
            $"trace {estimate.Value:G6} ± {estimate.StandardError:G3} vs exact {trace:G6}");
        // Rademacher probes: Var(vᵀHv) = 2·(‖H‖_F² − Σ H_ii²) exactly; the reported error must estimate that.
        double offDiagonal = Reference.Number("frobenius_sq");
        for (int i = 0; i < Reference.Dimension; i++) offDiagonal -= Reference.Hessian[i, i] * Reference.Hessian[i, i];
        double exactStderr = Math.Sqrt(2 * offDiagonal / probes);
        Assert.InRange(estimate.StandardError / exactStderr, 0.8, 1.25);
        // Each probe value is vᵀHv for a ±1 vector: it differs from the trace only by off-diagonal terms, never by more
        // than Σ_{i≠j}|H_ij|.
        double bound = 0;
        for (int i = 0; i < Reference.Dimension; i++)
            for (int j = 0; j < Reference.Dimension; j++)
                if (i != j) bound += Math.Abs(Reference.Hessian[i, j]);
        Assert.All(estimate.Samples, s => Assert.InRange(s - trace, -bound - 1e-9, bound + 1e-9));
    }

    [Fact]
    public void SLQ_with_n_steps_puts_its_nodes_on_the_exact_eigenvalues() =>
        SlqAssert.NodesOnExactEigenvalues(Reference.NewHessian(), Reference.Doubles("eigenvalues_ascending"));

    [Fact]
    public void SLQ_moments_with_few_steps_match_the_exact_moments_within_their_error() =>
        SlqAssert.MomentsWithinTheirError(Reference.NewHessian(), Reference.Doubles("moments"), runs: 200);
}
