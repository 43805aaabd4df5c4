using TorchSharp.Modules;
using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using TrainKit.Training.Loop;
using static TorchSharp.torch;

namespace TrainKit.Training.Tests.Loop;

/// <summary>The trainer's binding: epoch specs are completed in steps, and the divergence rollback lowers the lr of
/// every kind (rescaling base lrs did nothing for OneCycleLR, CyclicLR and ReduceLROnPlateau).</summary>
public class ScheduleBindingTests
{
    static OptimizerHelper Sgd() => optim.SGD([new Parameter(zeros(1))], 1e-4, momentum: 0.9);

    [Theory]
    [InlineData("""{"kind":"OneCycleLR","params":{"max_lr":0.01}}""")]
    [InlineData("""{"kind":"CyclicLR","params":{"base_lr":0.001,"max_lr":0.01,"step_size_up":5}}""")]
    [InlineData("""{"kind":"ReduceLROnPlateau","params":{"patience":1}}""")]
    [InlineData("""{"kind":"WarmupCosine","params":{"warmup_steps":0.5},"unit":"epochs"}""")]
    public void Rollback_scaling_lowers_the_lr_of_every_kind(string json)
    {
        using var scope = NewDisposeScope();
        var spec = ScheduleSpec.FromJson(json);
        var plain = ScheduleBinding.Create(spec, Sgd(), totalSteps: 100, stepsPerEpoch: 10);
        var scaled = ScheduleBinding.Create(spec, Sgd(), totalSteps: 100, stepsPerEpoch: 10);
        for (int k = 0; k < 7; k++) { plain.Step(); scaled.Step(); }
        scaled.ScaleLearningRate(0.25);
        Assert.Equal(plain.Current.Lr * 0.25, scaled.Current.Lr, 15);
        // Absolute, not cumulative: a second call with the next rollback's factor is not applied on top.
        scaled.ScaleLearningRate(0.0625);
        Assert.Equal(plain.Current.Lr * 0.0625, scaled.Current.Lr, 15);
    }

    [Fact]
    public void An_epoch_spec_is_completed_in_steps_with_the_runs_length()
    {
        var spec = ScheduleSpec.FromJson("""{"kind":"OneCycleLR","params":{"max_lr":0.5},"unit":"epochs"}""");
        var completed = ScheduleBinding.Complete(spec, totalSteps: 70, stepsPerEpoch: 3);
        Assert.Equal(TimeUnit.Steps, completed.Unit);
        Assert.Equal(70L, (long)completed.Params["total_steps"]!);   // 70/3 epochs would not be a whole number of steps
    }

    [Theory]
    [InlineData("""{"kind":"CosineAnnealingLR","params":{}}""", "T_max", 70L)]
    [InlineData("""{"kind":"WarmupCosine","params":{"warmup_steps":5}}""", "total_steps", 70L)]
    [InlineData("""{"kind":"hf.linear","params":{"num_warmup_steps":5}}""", "num_training_steps", 70L)]
    [InlineData("""{"kind":"OneCycleLR","params":{"max_lr":0.5}}""", "total_steps", 70L)]
    [InlineData("""{"kind":"CosineAnnealingLR","params":{"T_max":40}}""", "T_max", 40L)]              // given: kept
    [InlineData("""{"kind":"OneCycleLR","params":{"max_lr":0.5,"epochs":2,"steps_per_epoch":35}}""", "total_steps", null)] // its stand-ins given
    [InlineData("""{"kind":"hf.warmup_stable_decay","params":{"num_warmup_steps":5,"num_decay_steps":10,"num_stable_steps":50}}""", "num_training_steps", null)]
    public void The_parameters_the_catalog_marks_as_the_run_length_are_filled_from_the_run_unless_given_or_replaced(string json, string name, long? expected)
    {
        var completed = ScheduleBinding.Complete(ScheduleSpec.FromJson(json), totalSteps: 70, stepsPerEpoch: 7);
        if (expected is null) Assert.False(completed.Params.ContainsKey(name), $"{name} was filled: {completed.Params.ToJsonString()}");
        else Assert.Equal(expected, (long)completed.Params[name]!);
    }

    [Fact]
    public void A_filled_hf_schedule_trains_over_the_whole_run()
    {
        using var scope = NewDisposeScope();
        var scheduler = ScheduleBinding.Create(ScheduleSpec.FromJson("""{"kind":"hf.linear","params":{"num_warmup_steps":0}}"""), Sgd(), totalSteps: 10, stepsPerEpoch: 10);
        for (int k = 0; k < 5; k++) scheduler.Step();
        Assert.Equal(1e-4 * 0.5, scheduler.Current.Lr, 12);   // halfway down the line to 0 at step 10
    }
}
