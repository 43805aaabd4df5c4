using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Schedules;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Tests.Exactness;

/// <summary>Item 1: <c>step()</c> after <c>step(epoch)</c>/<c>step_to(t)</c> continues from the jump, as PyTorch does
/// (CosineAnnealingWarmRestarts' docstring: <c>step(26); step()</c> is epoch 27), and a resume keeps that clock.</summary>
public class StepContinuationTests
{
    [Fact]
    public void Sgdr_step_26_then_step_is_epoch_27()
    {
        using var scope = NewDisposeScope();
        var optimizer = Torch.Sgd(0.1);
        var scheduler = new ScheduledLR(optimizer, lr => new WarmRestartsSchedule(lr, 10, 2));
        for (int k = 0; k < 20; k++) scheduler.step();
        scheduler.step(26);
        Torch.Close(0.009549150281252633, Torch.Lr(optimizer), "after step(26)");
        scheduler.step();
        Torch.Close(0.005449673790581611, Torch.Lr(optimizer), "step() after step(26)");   // was 0.0345 (time 22)
        Assert.Equal(27, scheduler.Time);
    }

    [Fact]
    public void Steplr_step_12_then_step_stays_at_epoch_13()
    {
        using var scope = NewDisposeScope();
        var optimizer = Torch.Sgd(0.1);
        var scheduler = ScheduleFactory.CreateScheduler(ScheduleSpec.Of("StepLR", ("step_size", 5), ("gamma", 0.5)), optimizer);
        scheduler.step(12);
        scheduler.step();
        Torch.Close(0.025, Torch.Lr(optimizer), "StepLR step(12); step()");                   // was 0.1
    }

    [Fact]
    public void Fractional_step_to_in_epochs_continues_one_step_later_and_resumes_there()
    {
        using var scope = NewDisposeScope();
        var spec = ScheduleFactory.CreateScheduler(KindSamples.Spec("CosineAnnealingWarmRestarts"), Torch.Sgd(0.1));
        spec.step_to(2.25);                          // epochs (4 steps per epoch)
        spec.step();
        Assert.Equal(2.5, spec.Time);
        var direct = ScheduleFactory.CreateSchedule(KindSamples.Spec("CosineAnnealingWarmRestarts"), 0.1);
        Torch.Close(direct.At(2.5), spec.get_last_lr()[0], "one step after step_to(2.25)");

        var resumed = ScheduleFactory.CreateScheduler(KindSamples.Spec("CosineAnnealingWarmRestarts"), Torch.Sgd(0.1));
        resumed.load_state_dict(SchedulerState.FromJson(spec.state_dict().ToJson()));
        spec.step(); resumed.step();
        Assert.Equal(spec.Time, resumed.Time);
        Assert.Equal(spec.get_last_lr()[0], resumed.get_last_lr()[0]);
    }
}
