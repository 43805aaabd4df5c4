using TorchSharp.Modules;
using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Coupling;
using TrainKit.Schedulers.Schedules;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Tests.Coupling;

/// <summary>Co-scheduling really writes the optimizer's ParamGroup.Options, and unsupported optimizers say so.</summary>
public class CoSchedulingTests
{
    static Parameter P() => new(ones(3));

    [Fact]
    public void OneCycle_moves_sgd_momentum_in_the_param_group_options()
    {
        using var scope = NewDisposeScope();
        var optimizer = optim.SGD([P()], 0.1, momentum: 0.5);
        var scheduler = new ScheduledLR(optimizer, _ => new OneCycleSchedule(1.0, 20));
        var options = (SGD.Options)((ParamGroup)optimizer.ParamGroups.Single()).Options;
        Assert.Equal(0.95, options.momentum);                    // construction applies t = 0
        for (int i = 0; i < 6; i++) { optimizer.step(); scheduler.step(); }
        Assert.Equal(new OneCycleSchedule(1.0, 20).MomentumAt(6), options.momentum);
        Assert.True(options.momentum < 0.95);
        Assert.Equal(options.momentum, scheduler.get_last_momentum()[0]);
    }

    [Theory]
    [InlineData("Adam")]
    [InlineData("AdamW")]
    public void Cyclic_momentum_moves_adam_beta1(string kind)
    {
        using var scope = NewDisposeScope();
        optim.Optimizer optimizer = kind == "Adam" ? optim.Adam([P()], 0.01, beta1: 0.9) : optim.AdamW([P()], 0.01, beta1: 0.9);
        var scheduler = new ScheduledLR(optimizer, _ => new CyclicSchedule(0.001, 0.01, 4, baseMomentum: 0.8, maxMomentum: 0.9));
        scheduler.step(); scheduler.step();
        var options = ((ParamGroup)optimizer.ParamGroups.Single()).Options;
        double? beta1 = options is Adam.Options a ? a.beta1 : ((AdamW.Options)options).beta1;
        Assert.Equal(0.85, beta1!.Value, 12);                     // halfway up: momentum halfway down
        Assert.Equal(0.0055, scheduler.get_last_lr()[0], 12);
    }

    [Fact]
    public void Follow_schedule_scales_adamw_weight_decay_and_the_step_uses_it()
    {
        using var scope = NewDisposeScope();
        var p = P();
        var optimizer = optim.AdamW([p], 0.1, weight_decay: 0.5);
        var scheduler = new ScheduledLR(optimizer, lr => new StepSchedule(lr, 1, 0.5), weightDecay: WeightDecayCoupling.FollowSchedule);
        var options = (AdamW.Options)((ParamGroup)optimizer.ParamGroups.Single()).Options;
        // Zero gradients: AdamW's update is then exactly the decoupled decay p ← p·(1 − lr·wd).
        double expected = 1;
        for (int k = 0; k < 3; k++)
        {
            double lr = 0.1 * Math.Pow(0.5, k), wd = 0.5 * Math.Pow(0.5, k);
            Assert.Equal(wd, options.weight_decay!.Value, 15);
            Assert.Equal(wd, scheduler.get_last_weight_decay()[0]!.Value, 15);
            optimizer.zero_grad();
            (p * 0).sum().backward();
            optimizer.step();
            expected *= 1 - lr * wd;
            Assert.Equal(expected, p.data<float>()[0], 6);
            scheduler.step();
        }
    }

    [Fact]
    public void Constant_product_keeps_lr_times_weight_decay_on_sgd_and_rmsprop()
    {
        using var scope = NewDisposeScope();
        foreach (optim.Optimizer optimizer in new optim.Optimizer[] { optim.SGD([P()], 0.2, weight_decay: 1e-3), optim.RMSProp([P()], 0.2, weight_decay: 1e-3) })
        {
            var scheduler = new ScheduledLR(optimizer, lr => new CosineAnnealingSchedule(lr, 50, 0.001), weightDecay: WeightDecayCoupling.ConstantProduct);
            var group = (ParamGroup)optimizer.ParamGroups.Single();
            for (int k = 0; k < 40; k++)
            {
                scheduler.step();
                double wd = GroupHyperparameters.WeightDecay(group.Options)!.Value;
                Assert.Equal(0.2 * 1e-3, group.LearningRate * wd, 1e-17);
            }
            Assert.True(GroupHyperparameters.WeightDecay(group.Options) > 2e-3);
        }
    }

    [Fact]
    public void Inverse_to_lr_momentum_moves_rmsprop_momentum_and_custom_functions_apply()
    {
        using var scope = NewDisposeScope();
        var optimizer = optim.RMSProp([P()], 0.1, momentum: 0.9);
        var scheduler = new ScheduledLR(optimizer, lr => new LinearSchedule(lr, 0.5, 1.0, 10), momentum: MomentumCoupling.InverseToLr(0.8, 0.9));
        var options = (RMSProp.Options)((ParamGroup)optimizer.ParamGroups.Single()).Options;
        Assert.Equal(0.85, options.momentum!.Value, 12);          // lr at half the base → halfway
        for (int i = 0; i < 10; i++) scheduler.step();
        Assert.Equal(0.8, options.momentum!.Value, 12);

        var sgd = optim.SGD([P()], 0.1, momentum: 0.9, weight_decay: 0.01);
        var custom = new ScheduledLR(sgd, lr => new ConstantSchedule(lr), weightDecay: WeightDecayCoupling.Custom((t, lr, lrRef, wd0) => wd0 + t),
            momentum: MomentumCoupling.Custom((t, lr, lrRef, m0) => m0 - 0.01 * t));
        custom.step(); custom.step();
        var sgdOptions = (SGD.Options)((ParamGroup)sgd.ParamGroups.Single()).Options;
        Assert.Equal(2.01, sgdOptions.weight_decay!.Value, 12);
        Assert.Equal(0.88, sgdOptions.momentum!.Value, 12);
    }

    [Fact]
    public void Each_parameter_group_gets_its_own_schedule_and_values()
    {
        using var scope = NewDisposeScope();
        var optimizer = optim.SGD([new SGD.ParamGroup([P()], 0.1, momentum: 0.9, weight_decay: 1e-2), new SGD.ParamGroup([P()], 0.01, momentum: 0.9, weight_decay: 0)], 0.1);
        var spec = ScheduleSpec.FromJson("""{"kind":"OneCycleLR","params":{"max_lr":[1.0,0.1],"total_steps":10},"weight_decay":{"mode":"follow_schedule"}}""");
        var scheduler = ScheduleFactory.CreateScheduler(spec, optimizer);
        Assert.Equal([0.04, 0.004], scheduler.get_last_lr().Select(v => Math.Round(v, 15)));
        Assert.Equal([0.04, 0.004], optimizer.ParamGroups.Select(g => Math.Round(g.LearningRate, 15)));
        // OneCycleLR's reference is its max_lr (1.0), not the optimizer's lr (0.1): wd = wd₀·lr/max_lr.
        Assert.Equal(0.04 / 1.0 * 1e-2, scheduler.get_last_weight_decay()[0]!.Value, 15);
        Assert.Equal(0.0, scheduler.get_last_weight_decay()[1]);
    }

    [Fact]
    public void Unsupported_optimizers_error_instead_of_silently_ignoring_coupling()
    {
        using var scope = NewDisposeScope();
        // Rprop has neither weight decay nor momentum; Adagrad has weight decay but no momentum.
        var rprop = optim.Rprop([P()], 0.1);
        var wd = Assert.Throws<NotSupportedException>(() => new ScheduledLR(rprop, lr => new StepSchedule(lr, 3), weightDecay: WeightDecayCoupling.FollowSchedule));
        Assert.Contains("weight decay", wd.Message);
        Assert.Contains("NAdam, RAdam, Adamax", wd.Message);
        var adagrad = optim.Adagrad([P()], 0.1);
        Assert.Throws<NotSupportedException>(() => new ScheduledLR(adagrad, _ => new OneCycleSchedule(0.1, 10)));
        Assert.Throws<NotSupportedException>(() => new ScheduledLR(optim.Adagrad([P()], 0.1), lr => new StepSchedule(lr, 3), momentum: MomentumCoupling.InverseToLr()));

        // Learning-rate scheduling alone works on any optimizer; momentum and wd are then reported as absent.
        var plain = new ScheduledLR(rprop, lr => new StepSchedule(lr, 1, 0.5));
        plain.step();
        Assert.Equal(0.05, rprop.ParamGroups.Single().LearningRate, 15);
        Assert.Null(plain.get_last_momentum()[0]);
        Assert.Null(plain.get_last_weight_decay()[0]);
    }

    [Fact]
    public void Plateau_cuts_the_lr_after_patience_and_not_during_warmup()
    {
        using var scope = NewDisposeScope();
        var optimizer = optim.SGD([P()], 0.1);
        var spec = ScheduleSpec.FromJson("""{"kind":"ReduceLROnPlateau","params":{"patience":1,"factor":0.5,"warmup_steps":4,"warmup_start_factor":0.25}}""");
        var scheduler = ScheduleFactory.CreateScheduler(spec, optimizer);
        Assert.Equal(0.025, scheduler.get_last_lr()[0], 15);
        for (int i = 0; i < 3; i++) { scheduler.step(); scheduler.step(5.0); }       // warming up: metrics ignored
        scheduler.step();                                                              // t = 4: warmup done
        Assert.Equal(0.1, scheduler.get_last_lr()[0], 15);
        scheduler.step(1.0); scheduler.step(1.0); Assert.Equal(0.1, scheduler.get_last_lr()[0], 15);
        scheduler.step(1.0);                                                           // 2 bad reports > patience 1
        Assert.Equal(0.05, scheduler.get_last_lr()[0], 15);
        Assert.Equal(0.05, optimizer.ParamGroups.Single().LearningRate, 15);
    }

    [Fact]
    public void Epoch_unit_gives_sgdr_fractional_epochs_like_step_to()
    {
        using var scope = NewDisposeScope();
        var spec = ScheduleSpec.FromJson("""{"kind":"SGDR","params":{"T_0":3,"T_mult":2,"eta_min":0.001},"unit":"epochs","steps_per_epoch":8}""");
        var a = ScheduleFactory.CreateScheduler(spec, optim.SGD([P()], 0.1));
        var b = ScheduleFactory.CreateScheduler(spec with { Unit = TimeUnit.Steps, StepsPerEpoch = null }, optim.SGD([P()], 0.1));
        for (int k = 1; k <= 40; k++)
        {
            a.step();
            b.step_to(k / 8.0);
            Assert.Equal(b.get_last_lr()[0], a.get_last_lr()[0]);
            Assert.Equal(k / 8.0, a.Time);
        }
    }
}
