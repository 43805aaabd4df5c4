using TrainKit.Schedulers.Config;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Tests.Exactness;

/// <summary>Item 5: ChainedScheduler applies each child's chainable step to the current lr, as PyTorch does.</summary>
public class ChainedTests
{
    [Fact]
    public void Cosine_with_eta_min_then_exponential_matches_pytorch()
    {
        using var scope = NewDisposeScope();
        var optimizer = Torch.Sgd(0.1);
        var scheduler = ScheduleFactory.CreateScheduler(ScheduleSpec.FromJson("""
            {"kind":"ChainedScheduler","params":{"schedulers":[{"kind":"CosineAnnealingLR","T_max":10,"eta_min":0.01},{"kind":"ExponentialLR","gamma":0.9}]}}
            """), optimizer);
        // ChainedScheduler([CosineAnnealingLR(T_max=10, eta_min=0.01), ExponentialLR(0.9)]) on SGD(lr=0.1); 0.0090 at step 10 (was 0.0035).
        var expected = Torch.Parse("0.1 0.08801778890995374 0.07410419064779233 0.059638175292703814 0.04583085822889901 0.033635105995249014 0.02369831092097748 0.016354712288013384 0.01164977867351198 0.009380511992799743 0.009000000000000001 0.010082211090046284 0.009288717269303753 0.007618300579254306 0.005406866930270601 0.003017479837992442 0.000773786199929755");
        for (int k = 0; k < expected.Length; k++)
        {
            if (k > 0) { optimizer.step(); scheduler.step(); }
            Torch.Close(expected[k], Torch.Lr(optimizer), $"step {k}");
        }
        // PyTorch's recursion goes on to a negative lr at step 17; it is followed, as PyTorch does.
        optimizer.step(); scheduler.step();
        Torch.Close(-0.0010719254541988825, Torch.Lr(optimizer), "step 17");
    }

    [Fact]
    public void Pytorchs_docstring_example_constant_then_exponential()
    {
        var schedule = ScheduleFactory.CreateSchedule(ScheduleSpec.FromJson("""
            {"kind":"ChainedScheduler","params":{"schedulers":[{"kind":"ConstantLR","factor":0.1,"total_iters":2},{"kind":"ExponentialLR","gamma":0.9}]}}
            """), 1.0);
        var expected = Torch.Parse("0.1 0.09000000000000001 0.8100000000000002 0.7290000000000002 0.6561000000000002 0.5904900000000002");
        for (int k = 0; k < expected.Length; k++) Torch.Close(expected[k], schedule.At(k), $"t {k}");
        // Asking again for an earlier time replays from 0: the value is a function of t alone.
        Torch.Close(expected[2], schedule.At(2), "t 2 again");
    }

    [Theory]
    [InlineData("SequentialLR", """{"kind":"ReduceLROnPlateau"}""", "metric")]
    [InlineData("ChainedScheduler", """{"kind":"ReduceLROnPlateau"}""", "metric")]
    [InlineData("SequentialLR", """{"kind":"OneCycleLR","max_lr":1,"total_steps":20}""", "cycle_momentum")]
    [InlineData("ChainedScheduler", """{"kind":"CyclicLR","base_lr":0.01,"max_lr":0.1}""", "cycle_momentum")]
    public void Composites_refuse_children_whose_behaviour_they_would_drop(string parent, string child, string hint)
    {
        string milestones = parent == "SequentialLR" ? ""","milestones":[5]""" : "";
        string json = "{\"kind\":\"" + parent + "\",\"params\":{\"schedulers\":[{\"kind\":\"LinearLR\"}," + child + "]" + milestones + "}}";
        var spec = ScheduleSpec.FromJson(json);
        var ex = Assert.Throws<ArgumentException>(() => ScheduleFactory.CreateSchedule(spec, 0.1));
        Assert.Equal("schedulers", ex.ParamName);
        Assert.Contains(hint, ex.Message);
    }

    [Fact]
    public void A_one_cycle_child_without_momentum_cycling_is_accepted()
    {
        var spec = ScheduleSpec.FromJson("""{"kind":"SequentialLR","params":{"schedulers":[{"kind":"LinearLR"},{"kind":"OneCycleLR","max_lr":1,"total_steps":20,"cycle_momentum":false}],"milestones":[5]}}""");
        Assert.Equal(0.04, ScheduleFactory.CreateSchedule(spec, 0.1).At(5), 15);
    }
}
