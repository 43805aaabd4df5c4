namespace TrainKit.Training.Analysis;

/// <summary>Named analysis budgets.</summary>
public static class AnalysisPresets
{
    /// <summary>About 15 Hessian-vector products plus a few dozen loss evaluations: enough to rank schedules on
    /// a CPU, not for publication (λ_max converges to ~1e-2, the trace has a large standard error).</summary>
    public static readonly SharpnessAnalysisOptions Quick = new()
    {
        TopK = 1, LanczosMaxSteps = 10, LanczosTolerance = 1e-2, RunPowerIteration = false, TraceMaxIter = 5, TraceMinProbes = 5,
        RunDensity = false, RunScaleAware = false, EpsilonAscentSteps = 2, PacBayesSamples = 2, PacBayesBisectionSteps = 6, Landscape1DPoints = 9,
    };

    public static SharpnessAnalysisOptions Named(string budget) => budget switch
    {
        "quick" => Quick,
        "sweep" => Sweep,
        "full" => new SharpnessAnalysisOptions(),
        _ => throw new ArgumentException($"analysis_budget must be quick, sweep or full; got '{budget}'"),
    };

    /// <summary>The per-cell budget of a sweep: every figure of the summary table, at the lowest cost that
    /// still separates schedules (about 40 HVPs plus a few dozen loss evaluations).</summary>
    public static readonly SharpnessAnalysisOptions Sweep = Quick with
    {
        TopK = 3, LanczosMaxSteps = 15, LanczosTolerance = 1e-3, TraceMaxIter = 8, TraceMinProbes = 8, RunScaleAware = true,
        EpsilonAscentSteps = 3, PacBayesSamples = 3, PacBayesBisectionSteps = 8,
    };
}
