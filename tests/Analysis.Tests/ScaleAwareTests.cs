using TorchSharp.Modules;
using TrainKit.Analysis;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>Dinh et al.'s objection made concrete: rescaling a BatchNorm-ed conv layer leaves the function unchanged
/// but moves raw λ_max; the filter-normalized λ_max does not move.</summary>
[Collection(TrainedCnnCollection.Name)]
public class ScaleAwareTests(TrainedCnnFixture fixture, ITestOutputHelper output)
{
    /// <summary>Scales one filter of conv2 (output channel <paramref name="channel"/>: weights and bias) by c and that
    /// channel's BN2 running mean by c, running variance by c²: in eval mode BN normalizes the scaled activation back,
    /// so the network computes the same function (up to BN's ε). Only that filter moves: a per-filter rescaling, which
    /// λ·‖w‖² (only globally invariant) does not survive.</summary>
    static void RescaleOneFilter(nn.Module<Tensor, Tensor> model, double c, long channel = 3)
    {
        var layers = ((Sequential)model).children().ToArray();
        var conv = (Conv2d)layers[4];
        var bn = (BatchNorm2d)layers[5];
        using var noGrad = no_grad();
        conv.weight![channel].mul_(c);
        conv.bias![channel].mul_(c);
        bn.running_mean![channel].mul_(c);
        bn.running_var![channel].mul_(c * c);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Filter_normalized_lambda_max_survives_rescaling_one_batchnormed_filter_raw_and_global_scale_figures_do_not()
    {
        using var scope = NewDisposeScope();
        var options = new LanczosOptions(TopK: 1, MaxSteps: 30, Tolerance: 1e-4);
        var original = new ModelHessian(fixture.NewModel(), TrainedCnnFixture.CrossEntropy, fixture.Batches);
        var rescaledModel = fixture.NewModel();
        RescaleOneFilter(rescaledModel, 0.1);
        var rescaled = new ModelHessian(rescaledModel, TrainedCnnFixture.CrossEntropy, fixture.Batches);

        Assert.Equal(original.Loss(), rescaled.Loss(), 1e-4);   // same function
        double raw0 = LanczosEigenSolver.Run(original, options).LambdaMax;
        double raw1 = LanczosEigenSolver.Run(rescaled, options).LambdaMax;
        var s0 = ScaleAwareSharpness.Measure(original, raw0, options);
        var s1 = ScaleAwareSharpness.Measure(rescaled, raw1, options);
        output.WriteLine($"raw λ_max {raw0:G5} → {raw1:G5}; filter-normalized {s0.FilterNormalizedLambdaMax:G5} → {s1.FilterNormalizedLambdaMax:G5}; " +
                         $"λ·‖w‖² {s0.LambdaMaxTimesWeightNormSquared:G5} → {s1.LambdaMaxTimesWeightNormSquared:G5}");
        Assert.True(raw1 > 2 * raw0, "shrinking one BN-ed filter by 10 sharpens its Hessian block by 100");
        Assert.Equal(s0.FilterNormalizedLambdaMax, s1.FilterNormalizedLambdaMax, 0.01 * s0.FilterNormalizedLambdaMax);
        double ratio = s1.LambdaMaxTimesWeightNormSquared / s0.LambdaMaxTimesWeightNormSquared;
        Assert.True(ratio > 1.5 || ratio < 1 / 1.5, $"λ·‖w‖² moved by ×{ratio:G3}: it is not per-filter invariant");
    }
}
