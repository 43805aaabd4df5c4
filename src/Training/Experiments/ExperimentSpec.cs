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
    /// <summary>The variant every other one is compared with, pair by pair over the seeds they share
    /// (report/comparison.csv). Default: the first variant.</summary>
    public string? Baseline { get; init; }
    /// <summary>Equivalence margins per comparison metric (e.g. <c>{"test_accuracy": 0.005}</c>), in the metric's own
    /// units: a difference whose 95 % CI lies inside ±margin is <c>equivalent</c>. Metrics without one can only be
    /// <c>better</c>, <c>worse</c> or <c>no_detectable_difference</c>.</summary>
    public Dictionary<string, double> EquivalenceMargins { get; init; } = [];

    /// <summary>The baseline variant's name, checked against the variants.</summary>
    public string BaselineVariant()
    {
        if (Variants.Count == 0) throw new ArgumentException($"experiment '{Name}' has no variants");
        if (Baseline is null) return Variants[0].Name;
        if (Variants.All(v => v.Name != Baseline))
            throw new ArgumentException($"experiment '{Name}': baseline '{Baseline}' is not one of its variants ({string.Join(", ", Variants.Select(v => v.Name))})");
        return Baseline;
    }
}

/// <summary>One variant: a name, its schedule block, and any other config keys it changes (merged onto the
/// base configuration, e.g. <c>{"optimizer": {"lr": 0.4}, "batch_size": 1024}</c>).</summary>
public sealed record VariantSpec(string Name, JsonObject? Schedule = null, JsonObject? Overrides = null);

/// <summary>One (variant, seed) cell with its resolved configuration.</summary>
public sealed record Cell(int Index, string Variant, long Seed, RunConfig Config)
{
    public string Name => $"{Variant}__seed{Seed}";
}
