using TorchSharp;
using TorchSharp.Modules;
using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Golden;

/// <summary>How far a replay strayed from a golden file.</summary>
public sealed record ReplayResult(string Name, int Steps, double MaxLrError, double MaxMomentumError, int WorstLrStep)
{
    /// <summary>Errors are |a − b| / max(|b|, 1e-3): 1e-12 relative, which is 1e-15 absolute near zero.</summary>
    public const double Tolerance = 1e-12;
    public bool Passed => MaxLrError <= Tolerance && MaxMomentumError <= Tolerance;
}

/// <summary>
/// Replays a golden file on a real TorchSharp optimizer: one parameter group per base lr, the kind built
/// from the file's params through <see cref="ScheduleFactory"/>, then optimizer.step(); scheduler.step()
/// for every recorded step, comparing each group's lr and momentum (SGD momentum / Adam beta1).
/// </summary>
public static class GoldenReplay
{
    /// <summary>The combined tolerance as a single relative error: |a − b| ≤ max(1e-12·|b|, 1e-15).</summary>
    public static double Error(double actual, double expected) =>
        Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-3);

    public static ReplayResult Run(GoldenFile golden)
    {
        using var scope = NewDisposeScope();
        var parameters = golden.BaseLrs.Select(_ => new Parameter(ones(2))).ToArray();
        double momentum = golden.Momentum ?? 0;
        optim.Optimizer optimizer = golden.Optimizer switch
        {
            "SGD" or "any" => optim.SGD(parameters.Select((p, i) => new SGD.ParamGroup([p], new SGD.Options
                { LearningRate = golden.BaseLrs[i], momentum = momentum, dampening = 0, weight_decay = 0, nesterov = false, maximize = false })),
                golden.BaseLrs[0], momentum),
            "Adam" => optim.Adam(parameters.Select((p, i) => new Adam.ParamGroup([p], new Adam.Options { LearningRate = golden.BaseLrs[i], beta1 = momentum })),
                golden.BaseLrs[0], beta1: momentum),
            "AdamW" => optim.AdamW(parameters.Select((p, i) => new AdamW.ParamGroup([p], new AdamW.Options { LearningRate = golden.BaseLrs[i], beta1 = momentum })),
                golden.BaseLrs[0], beta1: momentum),
            _ => throw new ArgumentException($"optimizer must be SGD, Adam, AdamW or any, got '{golden.Optimizer}'", "optimizer"),
        };
        var spec = new ScheduleSpec { Kind = golden.Kind, Params = golden.Params };
        var scheduler = ScheduleFactory.CreateScheduler(spec, optimizer);

        double maxLr = 0, maxMomentum = 0;
        int worst = 0;
        for (int k = 0; k < golden.Lrs.Length; k++)
        {
            if (k > 0)
            {
                using (NewDisposeScope())
                {
                    optimizer.zero_grad();
                    foreach (var p in parameters) p.square().sum().backward();
                    optimizer.step();
                }
                if (golden.FractionalItersPerEpoch is int perEpoch) scheduler.step_to((double)k / perEpoch);
                else scheduler.step();
            }
            var groups = optimizer.ParamGroups.Cast<ParamGroup>().ToArray();
            for (int g = 0; g < groups.Length; g++)
            {
                double e = Error(groups[g].LearningRate, golden.Lrs[k][g]);
                if (e > maxLr) { maxLr = e; worst = k; }
                if (golden.Momenta is { } momenta)
                    maxMomentum = Math.Max(maxMomentum, Error(GroupHyperparameters.Momentum(groups[g].Options) ?? double.NaN, momenta[k][g]));
            }
        }
        return new ReplayResult(golden.Name, golden.Lrs.Length - 1, maxLr, maxMomentum, worst);
    }

    /// <summary>The golden folder: TRAINKIT_GOLDEN if set, else ../shared/golden/schedulers beside the
    /// folder holding TrainKit.sln, found by walking up from <paramref name="start"/>. Null when neither exists.</summary>
    public static string? FindFolder(string start)
    {
        if (Environment.GetEnvironmentVariable("TRAINKIT_GOLDEN") is { Length: > 0 } env) return Directory.Exists(env) ? env : null;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TrainKit.sln")))
            {
                string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "golden", "schedulers"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        return null;
    }
}
