using TorchSharp;
using TorchSharp.Modules;
using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Golden;

/// <summary>How far a replay strayed from a golden file; <see cref="Error"/> is set when TrainKit refused or threw.</summary>
public sealed record ReplayResult(string Name, string Category, int Steps, double MaxLrError, double MaxMomentumError, int WorstLrStep,
    string? Error = null)
{
    /// <summary>Errors are |a − b| / max(|b|, 1e-3): 1e-12 relative, which is 1e-15 absolute near zero.</summary>
    public const double Tolerance = 1e-12;
    public bool Passed => Error is null && MaxLrError <= Tolerance && MaxMomentumError <= Tolerance;
}

/// <summary>
/// Replays a golden file on a real TorchSharp optimizer: one parameter group per base lr, the kind built
/// from the file's params through <see cref="ScheduleFactory"/>, then optimizer.step() and scheduler.step()
/// (or step(epoch) where the file says so) for every recorded step, comparing each group's lr and momentum
/// (SGD momentum / Adam beta1).
/// </summary>
public static class GoldenReplay
{
    /// <summary>The combined tolerance as a single relative error: |a − b| ≤ max(1e-12·|b|, 1e-15).</summary>
    public static double Error(double actual, double expected) =>
        Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-3);

    /// <summary>Replays <paramref name="golden"/>; a spec TrainKit refuses (or a step that throws) is a failed result
    /// carrying the message, so one bad case never stops a batch.</summary>
    public static ReplayResult Run(GoldenFile golden)
    {
        ArgumentNullException.ThrowIfNull(golden);
        try
        {
            return Replay(golden);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or FormatException
                                       or System.Text.Json.JsonException)
        {
            return new ReplayResult(golden.Name, golden.Category, golden.Lrs.Length - 1, double.NaN, double.NaN, 0, e.Message);
        }
    }

    static ReplayResult Replay(GoldenFile golden)
    {
        using var scope = NewDisposeScope();
        var parameters = golden.BaseLrs.Select(_ => new Parameter(ones(2))).ToArray();
        var optimizer = CreateOptimizer(golden, parameters);
        var spec = new ScheduleSpec
        {
            Kind = golden.Kind,
            Params = golden.Params,
            Unit = golden.Unit is "epochs" ? TimeUnit.Epochs : TimeUnit.Steps,
            StepsPerEpoch = golden.StepsPerEpoch,
        };
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
                // PyTorch's ReduceLROnPlateau.step(metric) is one step; TrainKit's reports the metric (its time only drives a warmup).
                if (golden.Metrics is { } metrics) scheduler.step(metrics[k - 1]);
                else if (golden.FractionalItersPerEpoch is int perEpoch) scheduler.step_to((double)k / perEpoch);
                else if (golden.StepEpochs?[k - 1] is double epoch) scheduler.step_to(epoch);
                else scheduler.step();
            }
            var groups = optimizer.ParamGroups.Cast<ParamGroup>().ToArray();
            for (int g = 0; g < groups.Length; g++)
            {
                double e = Error(groups[g].LearningRate, golden.Lrs[k][g]);
                if (!(e <= maxLr)) { maxLr = Worse(maxLr, e); worst = k; }
                if (golden.Momenta is { } momenta)
                    maxMomentum = Worse(maxMomentum, Error(GroupHyperparameters.Momentum(groups[g].Options) ?? double.NaN, momenta[k][g]));
            }
        }
        return new ReplayResult(golden.Name, golden.Category, golden.Lrs.Length - 1, maxLr, maxMomentum, worst);
    }

    /// <summary>The larger error; NaN (a missing or NaN value) counts as infinitely wrong.</summary>
    static double Worse(double current, double e) => double.IsNaN(e) ? double.PositiveInfinity : Math.Max(current, e);

    static optim.Optimizer CreateOptimizer(GoldenFile golden, Parameter[] parameters)
    {
        double momentum = golden.Momentum ?? 0;
        return golden.Optimizer switch
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
    }
}
