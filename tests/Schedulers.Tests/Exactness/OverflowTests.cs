using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Schedules;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Tests.Exactness;

/// <summary>Issue #16: parameters that pass validation but overflow or hang at some time.</summary>
public class OverflowTests
{
    [Fact]
    public void Sgdr_with_a_huge_T_mult_answers_at_once()
    {
        // T_mult 1e308: t/T_0·(T_mult − 1) overflowed to ∞ and the boundary walk ran ~2^31 times per step.
        var schedule = new WarmRestartsSchedule(0.1, 10, 1e308);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int k = 0; k <= 1000; k++) Assert.True(double.IsFinite(schedule.At(k)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal(new WarmRestartsSchedule(0.1, 10, 2).At(5), schedule.At(5));       // first cycle as usual
        Assert.Equal(1, schedule.CycleAt(1000).Index);                                   // the second cycle never ends
    }

    [Fact]
    public void A_schedule_that_overflows_to_nan_is_a_clear_error_not_a_nan_lr()
    {
        using var scope = NewDisposeScope();
        var optimizer = Torch.Sgd(0.1);
        var scheduler = ScheduleFactory.CreateScheduler(ScheduleSpec.Of("CyclicLR", ("base_lr", 0.01), ("max_lr", 0.1), ("step_size_up", 1e-310)), optimizer);
        var ex = Assert.Throws<ArgumentException>(() => scheduler.step());
        Assert.Equal("lr", ex.ParamName);
        Assert.True(double.IsFinite(Torch.Lr(optimizer)));
    }

    [Fact]
    public void A_chained_jump_too_far_to_replay_is_refused()
    {
        var chained = new ChainedSchedule(0.1, [new ExponentialSchedule(0.1, 0.9)]);
        var ex = Assert.Throws<ArgumentException>(() => chained.At(1e12));
        Assert.Equal("t", ex.ParamName);
    }
}
