using System.Text.Json.Nodes;
using TrainKit.Training.Config;

namespace TrainKit.Training.Experiments;

/// <summary>A comparison: one base run configuration, several variants (usually schedules), several seeds.
/// Every (variant × seed) pair is a cell, trained and analysed on its own.</summary>
public sealed record ExperimentSpec
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    /// <summary>The published claim this experiment tests, if any (shown with its verdict in the report).</summary>
    public string? Claim { get; init; }
    public RunConfig Base { get; init; } = new();
    public List<VariantSpec> Variants { get; init; } = [];
    public List<long> Seeds { get; init; } = [0];
    /// <summary>Run the sharpness analysis on each final model.</summary>
    public bool Analyze { get; init; } = true;
    /// <summary>Examples in the fixed analysis subset (no augmentation, BatchNorm in eval mode).</summary>
    public int AnalysisExamples { get; init; } = 1000;
    /// <summary>quick (λ_max, trace, ε/ρ-sharpness, PAC-Bayes, 1D slice at the lowest cost), sweep (adds the
    /// scale-aware λ_max and more iterations) or full (the analyzer's defaults, PyHessian-like budgets).</summary>
    public string AnalysisBudget { get; init; } = "sweep";
}

/// <summary>One variant: a name, its schedule block, and any other config keys it changes (merged onto the
/// base configuration, e.g. <c>{"optimizer": {"lr": 0.4}, "batch_size": 1024}</c>).</summary>
public sealed record VariantSpec(string Name, JsonObject? Schedule = null, JsonObject? Overrides = null);

/// <summary>One (variant, seed) cell with its resolved configuration.</summary>
public sealed record Cell(int Index, string Variant, long Seed, RunConfig Config)
{
    public string Name => $"{Variant}__seed{Seed}";
}
