namespace TrainKit.Explorer.Server;

/// <summary>What the page draws: SVG charts, per-field errors, a numeric summary, exports and timings.</summary>
public sealed record ExploreResponse(
    IReadOnlyDictionary<string, string> Charts,
    IReadOnlyList<FieldError> Errors,
    IReadOnlyList<ScheduleSummary> Summaries,
    StabilityLimits Limits,
    Timing Timing);

/// <summary>
/// A validation message from the library (its ArgumentException text) and the field it names.
/// Schedule is the index of the schedule it belongs to, or -1 for the run/problem settings.
/// </summary>
public sealed record FieldError(int Schedule, string? Param, string Message);

public sealed record ScheduleSummary(
    int Schedule, string Label, double PeakLr, double FinalLr, bool EndsEarly,
    double GdFinalLoss, bool GdDiverged, double HeavyBallFinalLoss, bool HeavyBallDiverged, double AdamFinalLoss, bool AdamDiverged,
    string Basin, double BasinFinalX, double NoisyFinalLoss, string CSharp, string Config);

/// <summary>The lr limits drawn on the charts; NoiseFloor is null when the base lr is unstable (no floor: it diverges).</summary>
public sealed record StabilityLimits(double GradientDescent, double HeavyBall, double SharpBasin, double FlatBasin, double? NoiseFloor);

/// <summary>Server-side milliseconds: sampling schedules + simulations, and ScottPlot rendering.</summary>
public sealed record Timing(double SimulateMs, double RenderMs, double TotalMs);
