using TrainKit.Sweeps.Pruning;

namespace TrainKit.Sweeps.Tests.Pruning;

public class AshaRuleTests
{
    [Fact]
    public void A_trial_is_kept_only_in_the_top_third_of_its_rung()
    {
        double[] rung = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
        // numpy.percentile(rung, 66.67) = 0.6333…: 0.7 and above continue, 0.6 and below stop.
        Assert.True(AshaRule.Keep(0.7, rung, 3, maximize: true));
        Assert.False(AshaRule.Keep(0.6, rung, 3, maximize: true));
        // For a loss the low end is the good end.
        Assert.True(AshaRule.Keep(0.3, rung, 3, maximize: false));
        Assert.False(AshaRule.Keep(0.4, rung, 3, maximize: false));
        Assert.True(AshaRule.Keep(0.5, [0.5], 3, maximize: true)); // the first trial at a rung always continues
        Assert.False(AshaRule.Keep(double.NaN, rung, 3, maximize: true));
    }

    [Fact]
    public void Rungs_grow_by_the_reduction_factor_below_the_maximum_and_test_metrics_are_refused()
    {
        Assert.Equal([1.0, 3.0], new AshaConfig("validation_accuracy", MinResource: 1, ReductionFactor: 3, MaxResource: 9).Rungs());
        var ex = Assert.Throws<ArgumentException>(() => new AshaConfig("test_accuracy").Validate());
        Assert.Contains("test-split metric", ex.Message);
        Assert.Throws<ArgumentException>(() => new AshaConfig("validation_accuracy", Mode: "best").Validate());
        Assert.Throws<ArgumentException>(() => new AshaConfig("validation_accuracy", MinResource: 9, MaxResource: 9).Validate());
    }
}
