using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>Filter-normalized directions, slices and interpolation between two solutions of the trained CNN.</summary>
[Collection(TrainedCnnCollection.Name)]
public class LandscapeTests(TrainedCnnFixture fixture)
{
    [Fact]
    public void Each_direction_filter_has_the_norm_of_its_weight_filter_and_bias_bn_directions_are_zero()
    {
        using var scope = NewDisposeScope();
        var layout = new ParameterLayout(fixture.NewModel().parameters());
        var direction = FilterNormalizedDirections.Create(layout, seed: 3);
        var pieces = layout.Split(direction);
        int checkedFilters = 0;
        for (int i = 0; i < pieces.Length; i++)
        {
            var w = layout.Parameters[i].detach().to(ScalarType.Float64);
            var d = pieces[i].to(ScalarType.Float64);
            if (w.dim() <= 1)
            {
                Assert.Equal(0, d.abs().max().item<double>());
                continue;
            }
            var wNorms = w.reshape(w.shape[0], -1).norm(1);
            var dNorms = d.reshape(d.shape[0], -1).norm(1);
            for (long f = 0; f < w.shape[0]; f++, checkedFilters++)
                Assert.Equal(wNorms[f].item<double>(), dNorms[f].item<double>(), 1e-5 * wNorms[f].item<double>());
        }
        Assert.Equal(8 + 16 + 10, checkedFilters);   // conv1 channels, conv2 channels, Linear rows
        // A different seed gives a different direction.
        Assert.True((direction - FilterNormalizedDirections.Create(layout, seed: 4)).abs().max().item<double>() > 0);
    }

    [Fact]
    public void Slices_pass_through_the_current_loss_at_zero()
    {
        using var scope = NewDisposeScope();
        var hessian = new ModelHessian(fixture.NewModel(), TrainedCnnFixture.CrossEntropy, fixture.Batches);
        double loss = hessian.Loss();
        var d1 = FilterNormalizedDirections.Create(hessian.Layout, 1);
        var d2 = FilterNormalizedDirections.Create(hessian.Layout, 2);
        var curve = LossLandscape.Slice1D(hessian, d1, LossLandscape.Range(-0.5, 0.5, 5), BatchNormMode.Fixed);   // geometry only
        Assert.Equal(loss, curve.Losses[2], 1e-9);
        Assert.True(curve.Losses[0] > loss && curve.Losses[4] > loss, "a trained model sits in a basin along a random direction");
        var surface = LossLandscape.Slice2D(hessian, d1, d2, [-0.5, 0, 0.5], [-0.5, 0, 0.5], BatchNormMode.Fixed);
        Assert.Equal(loss, surface.Losses[1, 1], 1e-9);
        Assert.Equal(curve.Losses[0], surface.Losses[0, 1], 1e-9);
        Assert.Equal(3 * 3 + 1, surface.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Interpolation_reproduces_both_solutions_at_alpha_0_and_1()
    {
        using var scope = NewDisposeScope();
        var modelA = fixture.NewModel();
        var modelB = fixture.NewModel();
        fixture.Train(modelB, steps: 30, learningRate: 0.1, seed: 7);   // a second solution, BN statistics differ too
        double lossA = new ModelHessian(modelA, TrainedCnnFixture.CrossEntropy, fixture.Batches).Loss();
        double lossB = new ModelHessian(modelB, TrainedCnnFixture.CrossEntropy, fixture.Batches).Loss();
        using var stateA = ModelState.Capture(modelA);
        using var stateB = ModelState.Capture(modelB);
        var probe = new ModelHessian(fixture.CreateArchitectureWithRandomWeights(), TrainedCnnFixture.CrossEntropy, fixture.Batches);
        double before = probe.Loss();
        var curve = LossLandscape.Interpolate(probe, stateA, stateB, [0, 0.5, 1], BatchNormMode.Fixed);
        Assert.NotEqual(lossA, lossB);
        Assert.Equal("mixed linearly", curve.BatchNorm);
        Assert.Equal(lossA, curve.Losses[0], 1e-6);
        Assert.Equal(lossB, curve.Losses[2], 1e-6);
        Assert.Equal(before, probe.Loss(), 1e-12);   // the evaluating model's own state is restored
    }

    [Fact]
    public void Interpolation_re_estimates_batchnorm_statistics_at_each_point_by_default()
    {
        using var scope = NewDisposeScope();
        var modelA = fixture.NewModel();
        var modelB = fixture.NewModel();
        fixture.Train(modelB, steps: 30, learningRate: 0.1, seed: 7);
        using var stateA = ModelState.Capture(modelA);
        using var stateB = ModelState.Capture(modelB);
        var probe = new ModelHessian(fixture.CreateArchitectureWithRandomWeights(), TrainedCnnFixture.CrossEntropy, fixture.Batches);
        var curve = LossLandscape.Interpolate(probe, stateA, stateB, [0.5], statisticsBatches: 2);
        var mixed = LossLandscape.Interpolate(probe, stateA, stateB, [0.5], BatchNormMode.Fixed);

        // Independently: the midpoint weights, BatchNorm reset and re-estimated by hand (cumulative mean over the same
        // two batches, train-mode forward), then the eval-mode loss.
        var reference = fixture.CreateArchitectureWithRandomWeights();
        using (var mid = ModelState.Interpolate(stateA, stateB, 0.5)) mid.LoadInto(reference);
        var norms = reference.modules().OfType<TorchSharp.Modules.BatchNorm2d>().ToList();
        foreach (var bn in norms) bn.reset_running_stats();
        reference.train();
        int seen = 0;
        using (no_grad()) foreach (var batch in fixture.Batches.Take(2)) { seen++; foreach (var bn in norms) bn.momentum = 1.0 / seen; reference.call(batch.Input); }
        double expected = new ModelHessian(reference, TrainedCnnFixture.CrossEntropy, fixture.Batches).Loss();

        Assert.False(double.IsNaN(curve.Losses[0]));
        Assert.Equal(expected, curve.Losses[0], 1e-6);
        Assert.NotEqual(mixed.Losses[0], curve.Losses[0], 4);
        Assert.StartsWith("re-estimated (2 batches, 256 examples)", curve.BatchNorm);
        Assert.Contains(",re-estimated (2 batches, 256 examples)", curve.ToCsv());
    }
}
