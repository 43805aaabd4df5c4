using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Schedules;

namespace TrainKit.Schedulers.Tests.Validation;

/// <summary>Bad parameters are ArgumentExceptions whose message names the parameter and the allowed range.</summary>
public class ValidationTests
{
    public static TheoryData<string, string, string> BadSpecs => new()
    {
        { """{"kind":"StepLR","params":{"step_size":7,"gamma":1.5}}""", "gamma", "(0, 1]" },
        { """{"kind":"StepLR","params":{"step_size":-1}}""", "step_size", "> 0" },
        { """{"kind":"CosineAnnealingWarmRestarts","params":{"T_0":0.5}}""", "T_0", ">= 1" },
        { """{"kind":"CosineAnnealingWarmRestarts","params":{"T_0":10,"T_mult":0.5}}""", "T_mult", ">= 1" },
        { """{"kind":"OneCycleLR","params":{"max_lr":0.1,"total_steps":100,"pct_start":1.2}}""", "pct_start", "(0, 1)" },
        { """{"kind":"OneCycleLR","params":{"max_lr":-0.1,"total_steps":100}}""", "max_lr", "> 0" },
        { """{"kind":"WarmupCosine","params":{"warmup_steps":200,"total_steps":100}}""", "warmup_steps", "[0, total_steps (100)]" },
        { """{"kind":"WarmupCosineHardRestarts","params":{"warmup_steps":200,"total_steps":100}}""", "warmup_steps", "[0, total_steps (100)]" },
        { """{"kind":"CyclicLR","params":{"base_lr":0.1,"max_lr":0.01}}""", "max_lr", ">= base_lr" },
        { """{"kind":"CyclicLR","params":{"base_lr":0.01,"max_lr":0.1,"mode":"sawtooth"}}""", "mode", "triangular, triangular2, exp_range" },
        { """{"kind":"WSD","params":{"warmup_steps":1,"stable_steps":1,"decay_steps":1,"decay_type":"cubic"}}""", "decay_type", "linear, cosine, 1-sqrt" },
        { """{"kind":"MultiStepLR","params":{"milestones":[30,-10]}}""", "milestones", ">= 0" },
        { """{"kind":"SequentialLR","params":{"schedulers":[{"kind":"ConstantLR"},{"kind":"ConstantLR"}],"milestones":[]}}""", "milestones", "one entry fewer" },
        { """{"kind":"LinearLR","params":{"start_factor":0}}""", "start_factor", "(0, 1]" },
        { """{"kind":"ReduceLROnPlateau","params":{"factor":2}}""", "factor", "(0, 1)" },
        { """{"kind":"Noam","params":{"d_model":512,"warmup_steps":0}}""", "warmup_steps", "> 0" },
        { """{"kind":"StepLR","params":{"step_size":7,"gama":0.5}}""", "gama", "no parameter" },
        { """{"kind":"StepLR","params":{}}""", "step_size", "needs parameter" },
        { """{"kind":"StepLR","params":{"step_size":"seven"}}""", "step_size", "a number" },
        { """{"kind":"NoSuchLR","params":{}}""", "kind", "unknown schedule 'NoSuchLR'" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void A_bad_parameter_names_itself_and_its_range(string json, string parameter, string range)
    {
        var spec = ScheduleSpec.FromJson(json);
        var ex = Assert.ThrowsAny<ArgumentException>(() => ScheduleFactory.CreateSchedule(spec, baseLr: 0.1));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains(parameter, ex.Message);
        Assert.Contains(range, ex.Message);
    }

    [Fact]
    public void Negative_learning_rate_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CosineAnnealingSchedule(-0.1, 10));
        Assert.Equal("lr must be >= 0, got -0.1 (Parameter 'lr')", ex.Message);
    }

    [Fact]
    public void Stepping_past_one_cycle_total_steps_throws_and_changes_nothing()
    {
        var s = new OneCycleSchedule(0.1, 10);
        Assert.Equal(0.1 / 25 / 1e4, s.At(9), 15);
        var ex = Assert.Throws<ArgumentException>(() => s.At(11));
        Assert.Equal("total_steps", ex.ParamName);
        Assert.Contains("past total_steps = 10", ex.Message);
    }

    [Fact]
    public void Per_group_lists_must_match_the_group_count()
    {
        var spec = ScheduleSpec.FromJson("""{"kind":"OneCycleLR","params":{"max_lr":[0.1,0.2],"total_steps":100}}""");
        var ex = Assert.Throws<ArgumentException>(() => ScheduleFactory.CreateSchedule(spec, new GroupContext(0.1, 0, 3)));
        Assert.Equal("max_lr", ex.ParamName);
        Assert.Contains("3 parameter groups", ex.Message);
    }

    [Fact]
    public void Epoch_unit_requires_steps_per_epoch()
    {
        var spec = ScheduleSpec.FromJson("""{"kind":"StepLR","params":{"step_size":2},"unit":"epochs"}""");
        var ex = Assert.Throws<ArgumentException>(() => ScheduleFactory.AxisOf(spec));
        Assert.Equal("steps_per_epoch", ex.ParamName);
    }

    [Fact]
    public void Negative_time_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new StepSchedule(0.1, 3).At(-1));
        Assert.Equal("t", ex.ParamName);
    }
}
