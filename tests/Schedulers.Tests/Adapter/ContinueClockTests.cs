using TorchSharp.Modules;
using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Schedules;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Tests.Adapter;

/// <summary>A fork with a new schedule tail: a scheduler takes over another schedule's clock and is evaluated at
/// that global step, with the saved base lrs and rollback scale.</summary>
public class ContinueClockTests
{
    const string Constant = """{"kind": "WSD", "params": {"warmup_steps": 5, "stable_steps": 1000, "decay_steps": 0}}""";
    const string Cooldown = """{"kind": "WSD", "params": {"warmup_steps": 5, "stable_steps": 15, "decay_steps": 20, "decay_type": "1-sqrt"}}""";

    /// <summary>A scheduler on its own optimizer (one scheduler per optimizer), inside the caller's dispose scope.</summary>
    static ScheduledLR Build(string spec) =>
        ScheduleFactory.CreateScheduler(ScheduleSpec.FromJson(spec), optim.SGD([new Parameter(ones(2))], 0.1, momentum: 0.9));

    [Fact]
    public void A_new_schedule_continues_at_the_saved_step_count_and_follows_its_own_curve()
    {
        using var scope = NewDisposeScope();
        var parent = Build(Constant);
        for (int k = 0; k < 20; k++) parent.step();
        parent.SetLrScale(0.5);
        SchedulerState saved = parent.state_dict();

        var fork = Build(Cooldown);
        fork.ContinueClock(saved);
        var expected = new WsdSchedule(0.1, 5, 15, 20, decayType: WsdShape.OneMinusSqrt);
        Assert.Equal(20, fork.StepCount);
        for (int t = 20; t < 40; t++)
        {
            Assert.Equal(expected.At(t) * 0.5, fork.LastLr(0));
            fork.step();
        }
        Assert.True(fork.LastLr(0) < parent.LastLr(0), "the tail decays where the parent stays flat");
    }

    [Fact]
    public void Loading_the_other_schedules_whole_state_is_still_refused()
    {
        using var scope = NewDisposeScope();
        var parent = Build(Constant);
        parent.step();
        var fork = Build(Cooldown);
        var ex = Assert.Throws<ArgumentException>(() => fork.load_state_dict(parent.state_dict()));
        Assert.Contains("only resumes the schedule that wrote it", ex.Message);
    }

    [Fact]
    public void A_clock_moved_by_step_to_is_refused_because_its_time_unit_is_the_other_schedules()
    {
        using var scope = NewDisposeScope();
        var parent = Build(Constant);
        parent.step_to(7.5);
        var fork = Build(Cooldown);
        var ex = Assert.Throws<ArgumentException>(() => fork.ContinueClock(parent.state_dict()));
        Assert.Contains("origin_time", ex.Message);
    }
}
