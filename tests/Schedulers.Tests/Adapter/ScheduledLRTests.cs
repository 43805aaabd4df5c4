using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Schedules;
using static TorchSharp.torch;
using static TorchSharp.torch.optim.lr_scheduler;

namespace TrainKit.Schedulers.Tests.Adapter;

/// <summary>The PyTorch stepping contract of the adapter.</summary>
public class ScheduledLRTests
{
    [Fact]
    public void Construction_applies_t0_and_each_step_advances_one()
    {
        using var scope = NewDisposeScope();
        var optimizer = optim.SGD([new TorchSharp.Modules.Parameter(ones(2))], 0.1);
        var scheduler = new ScheduledLR(optimizer, lr => new StepSchedule(lr, 2, 0.5));
        Assert.Equal(0, scheduler.Time);
        Assert.Equal(0.1, optimizer.ParamGroups.Single().LearningRate);
        double[] expected = [0.1, 0.05, 0.05, 0.025, 0.025];
        for (int k = 1; k <= 5; k++)
        {
            optimizer.step();
            scheduler.step();
            Assert.Equal(expected[k - 1], optimizer.ParamGroups.Single().LearningRate, 15);
            // TorchSharp's own get_last_lr (through the base type) sees the same values.
            Assert.Equal(optimizer.ParamGroups.Single().LearningRate, ((LRScheduler)scheduler).get_last_lr().Single());
        }
        Assert.Equal(5, scheduler.StepCount);
    }

    [Fact]
    public void Stepping_past_one_cycle_total_steps_throws_and_keeps_the_last_values()
    {
        using var scope = NewDisposeScope();
        var optimizer = optim.SGD([new TorchSharp.Modules.Parameter(ones(2))], 0.1, momentum: 0.9);
        var scheduler = new ScheduledLR(optimizer, _ => new OneCycleSchedule(0.5, 10));
        for (int k = 0; k < 10; k++) scheduler.step();
        double lr = optimizer.ParamGroups.Single().LearningRate;
        var ex = Assert.Throws<ArgumentException>(() => scheduler.step());
        Assert.Equal("total_steps", ex.ParamName);
        Assert.Equal(10, scheduler.StepCount);
        Assert.Equal(lr, optimizer.ParamGroups.Single().LearningRate);
    }

    [Fact]
    public void Step_with_an_epoch_jumps_to_that_time_like_pytorch()
    {
        using var scope = NewDisposeScope();
        var optimizer = optim.SGD([new TorchSharp.Modules.Parameter(ones(2))], 0.1);
        var scheduler = new ScheduledLR(optimizer, lr => new WarmRestartsSchedule(lr, 10));
        scheduler.step(epoch: 15);
        Assert.Equal(15, scheduler.Time);
        Assert.Equal(new WarmRestartsSchedule(0.1, 10).At(15), scheduler.get_last_lr()[0]);
        scheduler.step_to(2.5);
        Assert.Equal(new WarmRestartsSchedule(0.1, 10).At(2.5), scheduler.get_last_lr()[0]);
    }
}
