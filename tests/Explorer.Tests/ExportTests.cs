using TorchSharp.Modules;
using TrainKit.Explorer.Export;
using TrainKit.Schedulers.Config;
using TrainKit.Training.Config;
using static TorchSharp.torch;

namespace TrainKit.Explorer.Tests;

/// <summary>Both exports are taken at their word: the C# is compiled and run, the config is loaded the way `trainkit train` loads it.</summary>
public class ExportTests
{
    const double BaseLr = 0.1, WeightDecay = 5e-4, Momentum = 0.9;
    const int Steps = 120;

    public static TheoryData<string> Specs => new()
    {
        """{"kind":"CosineAnnealingLR","params":{"T_max":100,"eta_min":0.001}}""",
        """{"kind":"MultiStepLR","params":{"milestones":[30,60],"gamma":0.5}}""",
        """{"kind":"OneCycleLR","params":{"max_lr":0.5,"total_steps":100,"anneal_strategy":"linear","three_phase":true}}""",
        """{"kind":"CosineAnnealingWarmRestarts","params":{"T_0":3,"T_mult":2},"unit":"epochs","steps_per_epoch":10,"weight_decay":{"mode":"follow_schedule"}}""",
        """{"kind":"SequentialLR","params":{"schedulers":[{"kind":"LinearLR","start_factor":0.1,"total_iters":10},{"kind":"ExponentialLR","gamma":0.97}],"milestones":[10]}}""",
        """{"kind":"WSD","params":{"warmup_steps":10,"stable_steps":50,"decay_steps":40,"decay_type":"1-sqrt"},"momentum":{"mode":"inverse_to_lr","base_momentum":0.8,"max_momentum":0.95}}""",
    };

    static double[] Expected(ScheduleSpec spec) =>
        Schedules.SampledSchedule.Sample(spec, "expected", Steps, BaseLr, WeightDecay, Momentum).Trajectory.Lr;

    [Theory]
    [MemberData(nameof(Specs))]
    public void Copied_CSharp_compiles_and_builds_the_same_scheduler(string json)
    {
        var spec = ScheduleSpec.FromJson(json);
        var make = ExportedCode.Compile(CSharpExport.From(spec, BaseLr).Text);
        double[] expected = Expected(spec);
        using var scope = NewDisposeScope();
        var optimizer = optim.SGD([new Parameter(zeros(1))], BaseLr, momentum: Momentum, weight_decay: WeightDecay);
        var scheduler = make(optimizer);
        for (int k = 0; k < expected.Length; k++)
        {
            if (k > 0) scheduler.step();
            Assert.Equal(expected[k], scheduler.get_last_lr().First(), 12);
        }
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Copied_config_loads_through_the_run_config_reader(string json)
    {
        var spec = ScheduleSpec.FromJson(json);
        string copied = ConfigExport.From(spec);
        Assert.StartsWith("\"schedule\": {", copied);
        var config = RunConfigValidator.Validate(RunConfigJson.Parse("{\n" + copied + "\n}", "pasted"));
        var loaded = config.Schedule;
        Assert.Equal(Expected(spec), Expected(loaded));
        // The same spec comes back (compared in the library's own normalized JSON form).
        Assert.Equal(spec.ToJson(), loaded.ToJson());
    }
}
