using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Coupling;
using TrainKit.Schedulers.Schedules;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Tests.Exactness;

/// <summary>Items 4 and 9: couplings compare the lr with each kind's peak; the rollback scale lowers the lr of every
/// kind; constant_product is capped.</summary>
public class CouplingReferenceTests
{
    [Fact]
    public void Follow_schedule_with_pytorchs_one_cycle_pattern_never_exceeds_the_start_weight_decay()
    {
        using var scope = NewDisposeScope();
        // PyTorch's OneCycle pattern: SGD lr 1e-4, max_lr 0.01. The reference is max_lr, so wd peaks at wd₀ (was 100·wd₀).
        var optimizer = Torch.Sgd(1e-4, momentum: 0.9, weightDecay: 5e-4);
        var scheduler = ScheduleFactory.CreateScheduler(ScheduleSpec.FromJson("""
            {"kind":"OneCycleLR","params":{"max_lr":0.01,"total_steps":100},"weight_decay":{"mode":"follow_schedule"}}
            """), optimizer);
        double most = 0;
        for (int k = 0; k < 100; k++) { scheduler.step(); most = Math.Max(most, scheduler.get_last_weight_decay()[0]!.Value); }
        Assert.Equal(5e-4, most, 15);
        Assert.Equal([0.01], scheduler.ReferenceLearningRates);
    }

    [Fact]
    public void Cyclic_and_noam_reference_their_peaks()
    {
        using var scope = NewDisposeScope();
        var cyclic = ScheduleFactory.CreateScheduler(ScheduleSpec.FromJson("""{"kind":"CyclicLR","params":{"base_lr":0.001,"max_lr":0.1,"step_size_up":4}}"""), Torch.Sgd(1e-4, momentum: 0.9));
        Assert.Equal(0.1, cyclic.ReferenceLearningRates[0]);
        var noam = new NoamSchedule(1.0, 64, 100);
        Assert.Equal(noam.At(99), noam.ReferenceLr, 15);                      // s = t + 1 = W
    }

    public static TheoryData<string> Kinds => KindSamples.Kinds();

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_rollback_scale_lowers_every_kinds_lr(string kind)
    {
        using var scope = NewDisposeScope();
        var plain = ScheduleFactory.CreateScheduler(KindSamples.Spec(kind), Torch.Sgd(0.1, momentum: 0.9, groups: 3));
        var scaled = ScheduleFactory.CreateScheduler(KindSamples.Spec(kind), Torch.Sgd(0.1, momentum: 0.9, groups: 3));
        for (int k = 0; k < 12; k++) { plain.step(); scaled.step(); }
        scaled.SetLrScale(0.5);
        for (int g = 0; g < 3; g++) Assert.Equal(plain.get_last_lr()[g] * 0.5, scaled.get_last_lr()[g], 15);
        // It survives a checkpoint round trip.
        var resumed = ScheduleFactory.CreateScheduler(KindSamples.Spec(kind), Torch.Sgd(0.1, momentum: 0.9, groups: 3));
        resumed.load_state_dict(SchedulerState.FromJson(scaled.state_dict().ToJson()));
        plain.step(); scaled.step(); resumed.step();
        for (int g = 0; g < 3; g++)
        {
            Assert.Equal(plain.get_last_lr()[g] * 0.5, scaled.get_last_lr()[g], 15);
            Assert.Equal(scaled.get_last_lr()[g], resumed.get_last_lr()[g]);
        }
    }

    [Fact]
    public void Constant_product_is_capped_during_a_warmup_from_near_zero()
    {
        using var scope = NewDisposeScope();
        var spec = ScheduleSpec.FromJson("""{"kind":"LinearLR","params":{"start_factor":0.001,"total_iters":1000},"weight_decay":{"mode":"constant_product"}}""");
        var scheduler = ScheduleFactory.CreateScheduler(spec, Torch.Sgd(0.1, weightDecay: 0.01));
        scheduler.step();
        // lr is ~0.002·base at step 1: uncapped wd would be ~5; the default cap is 10·wd₀.
        Assert.Equal(0.01 * WeightDecayCoupling.DefaultMaxFactor, scheduler.get_last_weight_decay()[0]!.Value, 15);
        var custom = ScheduleFactory.CreateScheduler(spec with { WeightDecay = new WeightDecaySpec { Mode = WeightDecayMode.ConstantProduct, MaxFactor = 2 } }, Torch.Sgd(0.1, weightDecay: 0.01));
        Assert.Equal(0.02, custom.get_last_weight_decay()[0]!.Value, 15);
        var ex = Assert.Throws<ArgumentException>(() => ScheduleFactory.CreateScheduler(spec with { WeightDecay = new WeightDecaySpec { Mode = WeightDecayMode.FollowSchedule, MaxFactor = 2 } }, Torch.Sgd(0.1)));
        Assert.Equal("weight_decay.max_factor", ex.ParamName);
    }
}
