using TorchSharp.Modules;
using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Coupling;
using TrainKit.Schedulers.Schedules;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Tests.Exactness;

/// <summary>Items 6, 7, 8 and 10: PyTorch's defaults and forms, one scheduler per optimizer, states bound to their
/// schedule, strict spec keys, get_last_lr copies, every TorchSharp optimizer with the options co-scheduled.</summary>
public class ContractTests
{
    [Fact]
    public void ConstantLR_defaults_are_pytorchs_one_third_for_five_steps()
    {
        var schedule = ScheduleFactory.CreateSchedule(ScheduleSpec.FromJson("""{"kind":"ConstantLR"}"""), 0.1);
        var expected = Torch.Parse("0.03333333333333333 0.03333333333333333 0.03333333333333333 0.03333333333333333 0.03333333333333333 0.1 0.1 0.1");
        for (int k = 0; k < expected.Length; k++) Torch.Close(expected[k], schedule.At(k), $"t {k}");
    }

    [Fact]
    public void MultiStepLR_counts_a_repeated_milestone_twice()
    {
        var schedule = ScheduleFactory.CreateSchedule(ScheduleSpec.FromJson("""{"kind":"MultiStepLR","params":{"milestones":[10,10,25]}}"""), 0.1);
        Torch.Close(0.1, schedule.At(9), "t 9");
        Torch.Close(0.0010000000000000002, schedule.At(10), "t 10");   // gamma² at 10
        Torch.Close(0.00010000000000000003, schedule.At(25), "t 25");
    }

    [Fact]
    public void A_second_scheduler_on_the_same_optimizer_is_refused_naming_the_composites()
    {
        using var scope = NewDisposeScope();
        var optimizer = Torch.Sgd(0.1);
        ScheduleFactory.CreateScheduler(ScheduleSpec.Of("LinearLR", ("total_iters", 5)), optimizer);
        var ex = Assert.Throws<InvalidOperationException>(() => ScheduleFactory.CreateScheduler(ScheduleSpec.Of("CosineAnnealingLR", ("T_max", 50)), optimizer));
        Assert.Contains("SequentialLR", ex.Message);
        Assert.Contains("ChainedScheduler", ex.Message);
    }

    [Fact]
    public void A_state_saved_by_another_schedule_is_refused()
    {
        using var scope = NewDisposeScope();
        var cosine = ScheduleFactory.CreateScheduler(ScheduleSpec.Of("CosineAnnealingLR", ("T_max", 50)), Torch.Sgd(0.1));
        cosine.step();
        var step = ScheduleFactory.CreateScheduler(ScheduleSpec.Of("StepLR", ("step_size", 5)), Torch.Sgd(0.1));
        var ex = Assert.Throws<ArgumentException>(() => step.load_state_dict(cosine.state_dict()));
        Assert.Equal("schedule", ex.ParamName);
        var longer = ScheduleFactory.CreateScheduler(ScheduleSpec.Of("CosineAnnealingLR", ("T_max", 60)), Torch.Sgd(0.1));
        Assert.Throws<ArgumentException>(() => longer.load_state_dict(cosine.state_dict()));
    }

    [Fact]
    public void Unknown_top_level_spec_keys_are_refused_by_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => ScheduleSpec.FromJson("""{"kind":"StepLR","params":{"step_size":5},"wieght_decay":{"mode":"fixed"}}"""));
        Assert.Equal("wieght_decay", ex.ParamName);
        Assert.Contains("wieght_decay", ex.Message);
    }

    [Fact]
    public void Get_last_lr_is_a_copy()
    {
        using var scope = NewDisposeScope();
        var scheduler = ScheduleFactory.CreateScheduler(ScheduleSpec.Of("StepLR", ("step_size", 1), ("gamma", 0.5)), Torch.Sgd(0.1));
        var before = scheduler.get_last_lr();
        scheduler.step();
        Assert.Equal(0.1, before[0]);
        Assert.Equal(0.05, scheduler.get_last_lr()[0], 15);
    }

    [Theory]
    [InlineData("NAdam")]
    [InlineData("RAdam")]
    [InlineData("Adamax")]
    public void Adam_family_optimizers_get_weight_decay_and_beta1_scheduled(string name)
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(2));
        optim.Optimizer optimizer = name switch
        {
            "NAdam" => optim.NAdam([p], 0.01, beta1: 0.9, weight_decay: 0.1),
            "RAdam" => optim.RAdam([p], 0.01, beta1: 0.9, weight_decay: 0.1),
            _ => optim.Adamax([p], 0.01, beta1: 0.9, weight_decay: 0.1),
        };
        var scheduler = new ScheduledLR(optimizer, lr => new StepSchedule(lr, 1, 0.5), weightDecay: WeightDecayCoupling.FollowSchedule,
            momentum: MomentumCoupling.InverseToLr(0.8, 0.9));
        scheduler.step();
        var options = ((ParamGroup)optimizer.ParamGroups.Single()).Options;
        Assert.Equal(0.05, GroupHyperparameters.WeightDecay(options)!.Value, 15);
        Assert.Equal(0.85, GroupHyperparameters.Momentum(options)!.Value, 15);
        Assert.Equal(0.85, scheduler.get_last_momentum()[0]!.Value, 15);
        optimizer.zero_grad(); p.sum().backward(); optimizer.step();     // the optimizer steps with the written options
        Assert.True(double.IsFinite(p.sum().item<float>()));
    }
}
