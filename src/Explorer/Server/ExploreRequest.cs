using System.Text.Json.Nodes;

namespace TrainKit.Explorer.Server;

/// <summary>What the page sends on every change: the run, the schedules (as ScheduleSpec JSON) and the problems' knobs.</summary>
public sealed record ExploreRequest
{
    /// <summary>Optimizer steps to simulate.</summary>
    public int Steps { get; init; } = 300;
    /// <summary>The optimizer's initial lr, which every schedule scales.</summary>
    public double BaseLr { get; init; } = 0.15;
    public double WeightDecay { get; init; } = 5e-4;
    /// <summary>SGD momentum / Adam beta1 when the schedule does not co-schedule it; also the heavy-ball β.</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>Show the lr chart against epochs (each schedule's declared steps_per_epoch) instead of steps.</summary>
    public bool XInEpochs { get; init; }
    public IReadOnlyList<ScheduleEntry> Schedules { get; init; } = [];
    public double LambdaMax { get; init; } = 10;
    public double LambdaMin { get; init; } = 1;
    /// <summary>Gradient noise σ for the noisy-quadratic panel.</summary>
    public double Noise { get; init; } = 1;
}

/// <summary>One schedule on the page: a label and its spec in the library's JSON form.</summary>
public sealed record ScheduleEntry(string Label, JsonObject Spec);
