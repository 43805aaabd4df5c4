using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>The estimators against PyTorch 1.13's dense Hessian (torch.autograd.functional.hessian) of one fixture
/// model, the same checks for every model: a subclass per fixture runs them all (<see cref="CnnPyTorchReferenceTests"/>,
/// <see cref="GptPyTorchReferenceTests"/>). Tolerances are those of the MLP's <see cref="PyTorchReferenceTests"/>
/// loosened where the models are deeper (more rounding in a double backward through conv, attention and LayerNorm):
/// loss and ‖g‖ to 1e-12 relative, H·e_j to 1e-10, Lanczos to 1e-7 relative; the randomized estimators within 4 of
/// their own stated standard errors.</summary>
public abstract class PyTorchReferenceSuite<TReference> where TReference : ExactHessianReference, new()
{
    protected static readonly TReference Reference = new();

    /// <summary>Trace probes for the Hutchinson test; the check is against the estimator's own standard error.</summary>
    protected virtual int TraceProbes => 400;
    /// <summary>SLQ runs for the moment test (6 steps each).</summary>
    protected virtual int SlqRuns => 200;
    /// <summary>Hutchinson probes per module in the per-layer test.</summary>
    protected virtual int PerLayerTraceProbes => 300;

    [Fact]
    public void Loss_and_gradient_match_PyTorch_with_unequal_batches()
    {
        var hessian = Reference.NewHessian();
        Assert.Equal(Reference.Dimension, hessian.Dimension);
        var (loss, gradient) = hessian.LossAndGradient();
        double expectedLoss = Reference.Number("loss"), expectedNorm = Reference.Number("gradient_norm");
        Assert.Equal(expectedLoss, loss, 1e-12 * expectedLoss);
        Assert.Equal(expectedNorm, FlatVectors.Norm(gradient), 1e-12 * expectedNorm);
    }

    [Fact]
    public void Hessian_vector_products_reproduce_PyTorch_Hessian_columns() => AssertColumns(Reference.NewHessian(), null);

    protected static void AssertColumns(ModelHessian hessian, string? section)
    {
        var columns = Reference.Columns(section);
        Assert.True(columns.Count >= 8, "the fixture must store columns from every kind of layer");
        double worst = 0;
        foreach (var (column, expected) in columns)
        {
            using var scope = NewDisposeScope();
            var e = zeros(Reference.Dimension, ScalarType.Float64);
            e[column] = 1.0;
            var hv = hessian.Multiply(e).data<double>().ToArray();
            for (int i = 0; i < hv.Length; i++) worst = Math.Max(worst, Math.Abs(hv[i] - expected[i]));
        }
        Assert.True(worst < 1e-10, $"max |Hv − H[:, j]| = {worst:G3}");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Lanczos_top3_match_the_exact_spectrum() => AssertLanczosTop3(Reference.NewHessian(), null);

    protected static void AssertLanczosTop3(ModelHessian hessian, string? section)
    {
        var result = LanczosEigenSolver.Run(hessian, new LanczosOptions(TopK: 3, MaxSteps: Math.Min(Reference.Dimension, 300), Tolerance: 1e-8));
        var top3 = Reference.Section(section).GetProperty("top3").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.True(result.Converged || result.Stalled, $"steps {result.Steps}, bounds {string.Join(", ", result.ResidualBounds)}");
        for (int i = 0; i < 3; i++)
        {
            // The residual bound is rigorous (an eigenvalue lies within it); the Ritz value error is far smaller.
            Assert.True(Math.Abs(result.RitzValues[i] - top3[i]) <= result.ResidualBounds[i] + 1e-12, $"λ{i + 1}: bound {result.ResidualBounds[i]:G3}");
            Assert.Equal(top3[i], result.RitzValues[i], 1e-7 * Math.Abs(top3[i]));
        }
        Assert.True(result.Steps < Reference.Dimension, $"{result.Steps} steps");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Lanczos_on_minus_H_gives_the_exact_negative_lambda_min()
    {
        var result = LanczosEigenSolver.Run(new NegatedOperator(Reference.NewHessian()),
            new LanczosOptions(TopK: 1, MaxSteps: Math.Min(Reference.Dimension, 300), Tolerance: 1e-8, Seed: 3));
        double lambdaMin = Reference.Number("lambda_min");
        Assert.True(lambdaMin < -0.1, "the fixture must be indefinite for this test to mean anything");
        Assert.True(result.Converged || result.Stalled, $"steps {result.Steps}");
        Assert.True(Math.Abs(-result.LambdaMax - lambdaMin) <= result.ResidualBounds[0] + 1e-12, $"bound {result.ResidualBounds[0]:G3}");
        Assert.Equal(lambdaMin, -result.LambdaMax, 1e-7 * Math.Abs(lambdaMin));
    }

    [Fact]
    public void Power_iteration_reaches_lambda_max_to_its_stated_tolerance()
    {
        const double tol = 1e-10;
        double lambdaMax = Reference.Number("lambda_max"), lambdaMin = Reference.Number("lambda_min");
        // Power iteration finds the largest |λ|: the fixture must have λ_max on top for this to test λ_max.
        Assert.True(lambdaMax > Math.Abs(lambdaMin));
        var result = PowerIteration.Run(Reference.NewHessian(), topN: 1, maxIter: 3000, tol: tol);
        Assert.True(result.Iterations[0] < 3000, "stopped on its tolerance, not on maxIter");
        // The stop says two Rayleigh quotients differ by Δ < tol·(|λ| + 1e-6). The quotient's error shrinks by r² per
        // step (r = second-largest |λ| / λ_max), so the previous quotient, the one returned, is off by Δ/(1 − r²).
        double r = Math.Max(Reference.Doubles("top3")[1], Math.Abs(lambdaMin)) / lambdaMax;
        double stated = tol * (lambdaMax + 1e-6) / (1 - r * r);
        Assert.True(Math.Abs(result.LambdaMax - lambdaMax) <= 2 * stated,
            $"power iteration {result.LambdaMax:G15} vs exact {lambdaMax:G15}: error {Math.Abs(result.LambdaMax - lambdaMax):G3} > 2 × {stated:G3}");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Hutchinson_trace_is_within_its_stated_error_and_the_error_is_honest() => AssertHutchinson(Reference.NewHessian(), null, TraceProbes);

    protected static void AssertHutchinson(ModelHessian hessian, string? section, int probes)
    {
        var exact = Reference.Section(section);
        var estimate = HutchinsonTrace.Estimate(hessian, maxIter: probes, minProbes: probes, seed: 11);
        double trace = exact.GetProperty("trace").GetDouble();
        Assert.Equal(probes, estimate.Probes);
        Assert.True(Math.Abs(estimate.Value - trace) <= 4 * estimate.StandardError,
            $"trace {estimate.Value:G6} ± {estimate.StandardError:G3} vs exact {trace:G6}");
        // Rademacher probes: Var(vᵀHv) = 2·(‖H‖_F² − Σ H_ii²) exactly; the reported error must estimate that.
        double offDiagonal = exact.GetProperty("frobenius_sq").GetDouble()
            - exact.GetProperty("hessian_diagonal").EnumerateArray().Sum(d => d.GetDouble() * d.GetDouble());
        double exactStderr = Math.Sqrt(2 * offDiagonal / probes);
        Assert.InRange(estimate.StandardError / exactStderr, 0.8, 1.25);
        // Each probe value is vᵀHv for a ±1 vector: it differs from the trace only by off-diagonal terms.
        double bound = exact.GetProperty("offdiagonal_abs_sum").GetDouble();
        Assert.All(estimate.Samples, s => Assert.InRange(s - trace, -bound - 1e-9, bound + 1e-9));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void SLQ_moments_with_few_steps_match_the_exact_moments_within_their_error() =>
        SlqAssert.MomentsWithinTheirError(Reference.NewHessian(), Reference.Doubles("moments"), SlqRuns);

    [Fact]
    [Trait("Category", "Slow")]
    public void Per_layer_lambda_max_and_trace_match_the_exact_diagonal_blocks()
    {
        var layers = PerLayerSharpness.Measure(Reference.NewHessian(), lanczosSteps: 80, tolerance: 1e-9, traceProbes: PerLayerTraceProbes, seed: 4);
        var expected = Reference.Json.GetProperty("blocks").GetProperty("layers").EnumerateObject().Select(l => l.Name).ToArray();
        Assert.Equal(expected, layers.Select(l => l.Module));
        foreach (var layer in layers)
        {
            double lambdaMax = Reference.Number("blocks", "layers", layer.Module, "lambda_max");
            double trace = Reference.Number("blocks", "layers", layer.Module, "trace");
            Assert.Equal((long)Reference.Number("blocks", "layers", layer.Module, "dimension"), layer.Dimension);
            Assert.True(Math.Abs(layer.LambdaMax - lambdaMax) <= 1e-7 * Math.Abs(lambdaMax),
                $"layer {layer.Module}: λ_max {layer.LambdaMax:G12} vs {lambdaMax:G12} after {layer.LanczosSteps} steps");
            Assert.True(Math.Abs(layer.Trace - trace) <= 4 * layer.TraceStderr, $"layer {layer.Module}: {layer.Trace:G6} ± {layer.TraceStderr:G3} vs {trace:G6}");
        }
    }
}
