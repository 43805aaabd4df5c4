namespace TrainKit.Analysis;

/// <summary>Named analysis budgets.</summary>
public static class AnalysisPresets
{
    /// <summary>About 15 Hessian-vector products plus a few dozen loss evaluations: enough to rank schedules on
    /// a CPU, not for publication (λ_max converges to ~1e-2, the trace has a large standard error).</summary>
    public static readonly SharpnessAnalysisOptions Quick = new()
    {
        TopK = 1,
        LanczosMaxSteps = 10,
        LanczosTolerance = 1e-2,
        RunPowerIteration = false,
        TraceMaxIter = 5,
        TraceMinProbes = 5,
        RunDensity = false,
        RunScaleAware = false,
        EpsilonAscentSteps = 2,
        PacBayesSamples = 2,
        PacBayesBisectionSteps = 8,
        PacBayesSigmaTolerance = 0.05,
        RunJiangPacBayes = false,
        RunLambdaMin = false,
        RunAverageCaseSharpness = false,
        RunMSharpness = false,
        Landscape1DPoints = 9,
    };

    /// <summary>The default of <c>trainkit analyze</c>: every figure except Jiang's PAC-Bayes (180 noisy forward passes)
    /// and PyHessian-parity power iteration, at budgets that finish a ResNet-20 on 1,000 examples in a few minutes on
    /// a 2-core CPU (see ANALYSIS.md, "Cost"). <see cref="Full"/> is one flag away.</summary>
    public static readonly SharpnessAnalysisOptions Standard = new()
    {
        TopK = 3,
        LanczosMaxSteps = 20,
        RunPowerIteration = false,
        TraceMaxIter = 10,
        TraceMinProbes = 10,
        DensitySteps = 25,
        LambdaMinMaxSteps = 15,
        EpsilonAscentSteps = 3,
        PacBayesSamples = 3,
        PacBayesSigmaTolerance = 0.02,
        RunJiangPacBayes = false,
        Landscape1DPoints = 11,
        LandscapeStatisticsBatches = 2,
    };

    /// <summary>Every estimator at its published budget (PyHessian defaults, Jiang's 10 samples × 15 steps).</summary>
    public static readonly SharpnessAnalysisOptions Full = new() { SubsetBootstrapRuns = 4 };

    public static SharpnessAnalysisOptions Named(string budget) => budget switch
    {
        "quick" => Quick,
        "sweep" => Sweep,
        "standard" => Standard,
        "full" => Full,
        _ => throw new ArgumentException($"analysis_budget must be quick, sweep, standard or full; got '{budget}'"),
    };

    /// <summary>The per-cell budget of a sweep: every figure of the summary table, at the lowest cost that
    /// still separates schedules (about 40 HVPs plus a few dozen loss evaluations).</summary>
    public static readonly SharpnessAnalysisOptions Sweep = Quick with
    {
        TopK = 3,
        LanczosMaxSteps = 15,
        LanczosTolerance = 1e-3,
        TraceMaxIter = 8,
        TraceMinProbes = 8,
        RunScaleAware = true,
        EpsilonAscentSteps = 3,
        PacBayesSamples = 3,
        PacBayesBisectionSteps = 10,
        PacBayesSigmaTolerance = 0.02,
    };
}
