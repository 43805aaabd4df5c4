using BenchmarkDotNet.Attributes;
using TorchSharp;
using TorchSharp.Modules;
using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Schedules;
using static TorchSharp.torch;

namespace TrainKit.Benchmarks;

/// <summary>
/// Cost of one <c>scheduler.step()</c> on a 3-group SGD optimizer for every closed-form kind (target &lt; 1 µs),
/// next to the bare closed-form evaluation <c>schedule.At(t)</c>, so the TorchSharp plumbing (ParamGroup
/// setters, LRScheduler.step's lists) shows separately from the maths.
/// Run (in-process: BenchmarkDotNet's out-of-process build copies libLibTorchSharp.so without the repo's
/// Debian 12 patch, so a separate process cannot load TorchSharp):
///   dotnet run -c Release --project bench/TrainKit.Benchmarks -- --filter '*SchedulerStep*' --inProcess
///     --iterationTime 150 --warmupCount 2 --iterationCount 5 --launchCount 1
/// </summary>
[MemoryDiagnoser]
public class SchedulerStepBenchmarks
{
    // Bounded kinds get a horizon no benchmark run can reach.
    static readonly Dictionary<string, string> Specs = new()
    {
        ["ConstantLR"] = """{"kind":"ConstantLR","params":{"factor":0.5,"total_iters":10}}""",
        ["StepLR"] = """{"kind":"StepLR","params":{"step_size":7,"gamma":0.5}}""",
        ["MultiStepLR"] = """{"kind":"MultiStepLR","params":{"milestones":[10,25,40]}}""",
        ["ExponentialLR"] = """{"kind":"ExponentialLR","params":{"gamma":0.999999}}""",
        ["InverseTime"] = """{"kind":"InverseTime","params":{"decay_rate":0.5}}""",
        ["LinearLR"] = """{"kind":"LinearLR","params":{"start_factor":0.1,"total_iters":1000}}""",
        ["PolynomialLR"] = """{"kind":"PolynomialLR","params":{"total_iters":1000,"power":2}}""",
        ["CosineAnnealingLR"] = """{"kind":"CosineAnnealingLR","params":{"T_max":1000}}""",
        ["CosinePower"] = """{"kind":"CosinePower","params":{"decay_steps":1000,"power":2}}""",
        ["WarmupCosine"] = """{"kind":"WarmupCosine","params":{"warmup_steps":100,"total_steps":1000}}""",
        ["WarmupCosineHardRestarts"] = """{"kind":"WarmupCosineHardRestarts","params":{"warmup_steps":100,"total_steps":1000,"num_cycles":3}}""",
        ["CosineAnnealingWarmRestarts"] = """{"kind":"CosineAnnealingWarmRestarts","params":{"T_0":10,"T_mult":2}}""",
        ["OneCycleLR"] = """{"kind":"OneCycleLR","params":{"max_lr":0.5,"total_steps":2000000000}}""",
        ["CyclicLR"] = """{"kind":"CyclicLR","params":{"base_lr":0.01,"max_lr":0.1,"step_size_up":50}}""",
        ["SlantedTriangular"] = """{"kind":"SlantedTriangular","params":{"total_steps":1000}}""",
        ["InverseSqrt"] = """{"kind":"InverseSqrt","params":{"warmup_steps":100}}""",
        ["Noam"] = """{"kind":"Noam","params":{"d_model":512,"warmup_steps":4000}}""",
        ["WSD"] = """{"kind":"WSD","params":{"warmup_steps":100,"stable_steps":500,"decay_steps":400}}""",
        ["SequentialLR"] = """{"kind":"SequentialLR","params":{"schedulers":[{"kind":"LinearLR","start_factor":0.01,"total_iters":100},{"kind":"CosineAnnealingLR","T_max":900}],"milestones":[100]}}""",
        ["ChainedScheduler"] = """{"kind":"ChainedScheduler","params":{"schedulers":[{"kind":"ExponentialLR","gamma":0.999999},{"kind":"StepLR","step_size":100,"gamma":0.5}]}}""",
        ["hf.linear"] = """{"kind":"hf.linear","params":{"num_warmup_steps":100,"num_training_steps":1000}}""",
        ["hf.cosine"] = """{"kind":"hf.cosine","params":{"num_warmup_steps":100,"num_training_steps":1000}}""",
        ["hf.polynomial"] = """{"kind":"hf.polynomial","params":{"num_warmup_steps":100,"num_training_steps":1000,"power":2}}""",
        ["hf.constant_with_warmup"] = """{"kind":"hf.constant_with_warmup","params":{"num_warmup_steps":100}}""",
        ["hf.cosine_with_min_lr"] = """{"kind":"hf.cosine_with_min_lr","params":{"num_warmup_steps":100,"num_training_steps":1000,"min_lr_rate":0.1}}""",
        ["hf.warmup_stable_decay"] = """{"kind":"hf.warmup_stable_decay","params":{"num_warmup_steps":100,"num_decay_steps":400,"num_training_steps":1000}}""",
        ["timm.cosine"] = """{"kind":"timm.cosine","params":{"t_initial":100,"cycle_mul":1.5,"cycle_decay":0.9,"cycle_limit":1000,"warmup_t":10,"k_decay":1.5}}""",
        ["timm.poly"] = """{"kind":"timm.poly","params":{"t_initial":100,"power":2,"cycle_limit":1000000}}""",
        ["timm.tanh"] = """{"kind":"timm.tanh","params":{"t_initial":100,"cycle_limit":1000000,"warmup_t":10}}""",
        ["timm.step"] = """{"kind":"timm.step","params":{"decay_t":100,"decay_rate":0.999}}""",
        ["timm.multistep"] = """{"kind":"timm.multistep","params":{"decay_t":[100,200,300],"decay_rate":0.5}}""",
        // Not a closed form: each step draws timm's noise from a fresh libtorch generator (measured apart).
        ["timm.cosine+noise"] = """{"kind":"timm.cosine","params":{"t_initial":100,"cycle_limit":1000000,"noise_range_t":0,"noise_pct":0.67}}""",
    };

    /// <summary>Every kind, or the comma-separated names in TRAINKIT_BENCH_KINDS (e.g. "timm.cosine,timm.step").</summary>
    public static IEnumerable<string> Kinds =>
        Environment.GetEnvironmentVariable("TRAINKIT_BENCH_KINDS") is { Length: > 0 } only
            ? only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(Specs.ContainsKey)
            : Specs.Keys;

    [ParamsSource(nameof(Kinds))]
    public string Kind { get; set; } = "StepLR";

    [Params("fixed", "follow_schedule")]
    public string WeightDecay { get; set; } = "fixed";

    DisposeScope? _scope;
    ScheduledLR _scheduler = null!;
    ISchedule _schedule = null!;
    double _t;

    [GlobalSetup]
    public void Setup()
    {
        _scope = NewDisposeScope();
        var groups = new[] { 0.1, 0.05, 0.01 }.Select(lr => new SGD.ParamGroup([new Parameter(zeros(4))], lr, momentum: 0.9, weight_decay: 1e-4));
        var optimizer = optim.SGD(groups, 0.1, momentum: 0.9);
        var spec = ScheduleSpec.FromJson(Specs[Kind]) with
        {
            WeightDecay = new WeightDecaySpec { Mode = WeightDecay == "fixed" ? Schedulers.Coupling.WeightDecayMode.Fixed : Schedulers.Coupling.WeightDecayMode.FollowSchedule },
        };
        _scheduler = ScheduleFactory.CreateScheduler(spec, optimizer);
        _schedule = ScheduleFactory.CreateSchedule(spec, 0.1);
    }

    [GlobalCleanup]
    public void Cleanup() => _scope?.Dispose();

    /// <summary>One scheduler.step(): evaluate 3 schedules, write 3 lrs (and weight decays / momenta when coupled).</summary>
    [Benchmark]
    public void Step() => _scheduler.step();

    /// <summary>The closed form alone, for one group.</summary>
    [Benchmark]
    public double ScheduleAt() => _schedule.At(_t = (_t + 1) % 1_000_000);
}
