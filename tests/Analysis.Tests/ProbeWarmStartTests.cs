using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>The warm-started λ_max probe when the top two eigenvalues cross between readings (issue 17, item 1).</summary>
public class ProbeWarmStartTests
{
    const int Dim = 50;

    /// <summary>Same eigenvectors (same seed), eigenvalues 10 and 9 on the first two, a bulk in [0, 1] on the rest.</summary>
    static Tensor Hessian(double first, double second)
    {
        double[] spectrum = [first, second, .. Enumerable.Range(0, Dim - 2).Select(i => (double)i / (Dim - 2))];
        return QuadraticModel.RandomSymmetric(spectrum, seed: 21);
    }

    static SharpnessProbe Probe(QuadraticModel model, int coldCheckEvery = 10) =>
        new(model, (output, _) => output, [new AnalysisBatch(zeros(1), zeros(1))], coldCheckEvery: coldCheckEvery);

    [Fact]
    public void Warm_probe_follows_lambda_max_when_the_top_two_eigenvectors_swap()
    {
        var model = new QuadraticModel(Hessian(10, 9), ones(Dim));
        using var probe = new SharpnessProbe(model, (output, _) => output, [new AnalysisBatch(zeros(1), zeros(1))]);
        var cold = probe.Measure();
        Assert.Equal(10, cold.LambdaMax, 1e-4);
        using (no_grad()) model.H.copy_(Hessian(9, 10));   // the old top eigenvector now belongs to 9
        var warm = probe.Measure();
        Assert.True(warm.WarmStarted);
        Assert.Equal(10, warm.LambdaMax, 1e-3);   // the previous code read 9.0000 here, "converged" after 2 HVPs
        Assert.True(warm.Converged, $"residual bound {warm.ResidualBound}");
        // ...and with a small perturbation of the weights on top of the swap.
        using (no_grad()) model.X.add_(0.01);
        Assert.Equal(10, probe.Measure().LambdaMax, 1e-3);
    }

    [Fact]
    public void Cold_check_reports_its_value_and_discrepancy_on_its_schedule()
    {
        var model = new QuadraticModel(Hessian(10, 9), ones(Dim));
        using var probe = Probe(model, coldCheckEvery: 2);
        var readings = Enumerable.Range(0, 4).Select(_ => probe.Measure()).ToList();
        Assert.Null(readings[0].ColdCheckLambdaMax);   // the first reading is cold already
        Assert.Null(readings[1].ColdCheckLambdaMax);
        Assert.Equal(10, readings[2].ColdCheckLambdaMax!.Value, 1e-4);
        Assert.Equal(0, readings[2].ColdCheckDiscrepancy!.Value, 1e-4);
        Assert.Equal(6 + 10, readings[2].Hvps);   // warm steps + cold steps
        Assert.Null(readings[3].ColdCheckLambdaMax);
    }
}
