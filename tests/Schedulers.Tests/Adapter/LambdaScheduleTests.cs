using System.Text.Json.Nodes;
using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Schedules;
using TrainKit.Schedulers.Tests.Exactness;

namespace TrainKit.Schedulers.Tests.Adapter;

/// <summary>LambdaLR / MultiplicativeLR / CyclicLR's scale_fn with C# functions on real optimizers, against PyTorch running the same lambdas
/// (tests/fixtures/lambda/lambda_cases.json, written by /usr/bin/python3 tools/golden/lambda_cases.py).</summary>
public class LambdaScheduleTests
{
    // The same lambdas as tools/golden/lambda_cases.py, by name.
    static readonly Dictionary<string, Func<double, int, ISchedule>> Cases = new()
    {
        ["lambda_exponential"] = (lr, _) => new LambdaSchedule(lr, e => Math.Pow(0.95, e)),
        ["lambda_inverse_time"] = (lr, _) => new LambdaSchedule(lr, e => 1.0 / (1.0 + 0.1 * e)),
        ["multiplicative_every_third"] = (lr, _) => new MultiplicativeSchedule(lr, e => e % 3 == 0 ? 0.9 : 1.0),
        ["multiplicative_shrinking"] = (lr, _) => new MultiplicativeSchedule(lr, e => 1.0 - 1.0 / (e + 10.0)),
        // LambdaLR with a list of lambdas, one per group: ScheduledLR's per-group constructor.
        ["lambda_per_group"] = (lr, group) => new LambdaSchedule(lr, group switch
        {
            0 => e => Math.Pow(0.95, e),
            1 => e => 1.0 / (1.0 + 0.1 * e),
            _ => e => e < 10 ? 1.0 : 0.1,
        }),
    };

    static JsonObject Fixture() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(GoldenFolder.Path, "..", "lambda", "lambda_cases.json")))!.AsObject();

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void A_csharp_lambda_gives_pytorchs_numbers_on_a_real_optimizer(string name)
    {
        var recorded = Fixture()["cases"]![name]!;
        var baseLrs = recorded["base_lrs"]!.AsArray().Select(x => (double)x!).ToArray();
        var lrs = recorded["lrs"]!.AsArray();
        var optimizer = Torch.Sgd(lr: baseLrs[0], groups: baseLrs.Length);
        for (int g = 1; g < baseLrs.Length; g++)
        {
            var group = (TorchSharp.Modules.ParamGroup)optimizer.ParamGroups.ElementAt(g);
            group.LearningRate = group.InitialLearningRate = baseLrs[g];
        }
        var scheduler = new ScheduledLR(optimizer, Cases[name]);
        Assert.Equal(41, lrs.Count);
        for (int k = 0; k < lrs.Count; k++)
        {
            if (k > 0) { optimizer.step(); scheduler.step(); }
            for (int g = 0; g < baseLrs.Length; g++) Torch.Close((double)lrs[k]![g]!, Torch.Lr(optimizer, g), $"{name} step {k} group {g}");
        }
    }

    [Fact]
    public void A_multiplicative_schedule_resumes_and_jumps_to_the_same_products()
    {
        var fresh = new MultiplicativeSchedule(0.1, e => e % 3 == 0 ? 0.9 : 1.0);
        var stepped = new MultiplicativeSchedule(0.1, e => e % 3 == 0 ? 0.9 : 1.0);
        for (int t = 0; t <= 30; t++) stepped.At(t);
        Assert.Equal(stepped.At(30), fresh.At(30));
        Assert.Equal(0.1 * 0.9 * 0.9, fresh.At(7), 15);
    }

    [Fact]
    public void A_fractional_time_is_refused_with_a_clear_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LambdaSchedule(0.1, e => 1.0).At(2.5));
        Assert.Contains("whole", ex.Message);
        Assert.Throws<ArgumentNullException>(() => new MultiplicativeSchedule(0.1, null!));
    }

    // CyclicLR with a C# scale_fn, the same functions as CYCLIC in tools/golden/lambda_cases.py.
    static readonly Dictionary<string, Func<double, ISchedule>> Cyclic = new()
    {
        ["cyclic_scale_fn_cycle"] = _ => new CyclicSchedule(0.01, 0.1, 4, 6, scaleFn: x => 1.0 / (1.0 + 0.5 * (x - 1)), scaleMode: CyclicScaleMode.Cycle),
        ["cyclic_scale_fn_iterations"] = _ => new CyclicSchedule(0.001, 0.05, 5, scaleFn: x => Math.Pow(0.98, x), scaleMode: CyclicScaleMode.Iterations),
    };

    public static TheoryData<string> CyclicNames() => new(Cyclic.Keys);

    [Theory]
    [MemberData(nameof(CyclicNames))]
    public void A_csharp_cyclic_scale_fn_gives_pytorchs_lrs_and_momenta(string name)
    {
        var recorded = Fixture()["cases"]![name]!;
        var lrs = recorded["lrs"]!.AsArray();
        var momenta = recorded["momenta"]!.AsArray();
        var optimizer = Torch.Sgd(lr: 0.1, momentum: 0.9);
        var scheduler = new ScheduledLR(optimizer, Cyclic[name]);
        for (int k = 0; k < lrs.Count; k++)
        {
            if (k > 0) { optimizer.step(); scheduler.step(); }
            Torch.Close((double)lrs[k]![0]!, Torch.Lr(optimizer), $"{name} lr at step {k}");
            Torch.Close((double)momenta[k]![0]!, Torch.Momentum(optimizer), $"{name} momentum at step {k}");
        }
    }
}
