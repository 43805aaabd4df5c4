using TrainKit.Training.Config;
using TrainKit.Training.Loop;

namespace TrainKit.Training.Tests.Loop;

public class LrRangeTestTests
{
    [Fact]
    public void Finds_a_useful_lr_stops_at_divergence_and_restores_the_weights()
    {
        using var task = new SyntheticTask(seed: 5);
        var optimizer = OptimizerFactory.Create(new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = 0.01, Momentum = 0.9, WeightDecay = 0 }, task.Model);
        var before = task.Model.parameters().Select(p => p.detach().clone()).ToList();

        LrRangeResult result = LrRangeTest.Run(task, optimizer, startLr: 1e-5, endLr: 100, steps: 120);

        Assert.True(result.StoppedAtDivergence);
        Assert.True(result.Lrs.Count < 120);
        Assert.All(new[] { result.Valley, result.Steepest, result.MinimumOverTen }, lr => Assert.InRange(lr, 1e-5, result.Lrs[^1]));
        Assert.True(result.Valley < result.Lrs[^1] / 3, $"valley {result.Valley} vs divergence at {result.Lrs[^1]}");
        foreach (var (p, q) in task.Model.parameters().Zip(before))
            Assert.True(p.eq(q).all().item<bool>(), "weights must be restored exactly");
        Assert.Equal(0.01, optimizer.ParamGroups.First().LearningRate);
    }

    [Fact]
    public void Valley_takes_two_thirds_of_the_longest_decreasing_stretch()
    {
        double[] lrs = Enumerable.Range(0, 10).Select(i => Math.Pow(10, i - 5)).ToArray();
        double[] losses = [5, 6, 4, 3, 2.5, 2, 1.5, 1, 3, 9];
        // Longest decrease: index 0 or 1 .. 7 (7 points from index 1); two thirds along is index 4.
        Assert.Equal(lrs[4], LrRangeTest.Valley(lrs, losses));
        Assert.Equal(lrs[7] / 10, LrRangeTest.MinimumOverTen(lrs, losses));
    }
}
