using TrainKit.Training.Experiments;

namespace TrainKit.Training.Reports;

/// <summary>For the claim presets that train each schedule at several budgets or batch sizes: which variants make one
/// curve of a final metric against that quantity, drawn in the report as the papers draw it (Smith &amp; Topin's
/// accuracy vs iterations, Hägele et al.'s loss vs budget, Bergsma et al.'s loss vs tokens per parameter, Goyal et
/// al.'s error vs minibatch size).</summary>
public static class FinalMetricCurves
{
    /// <summary>One schedule: its (x, variant) points.</summary>
    public sealed record Curve(string Label, IReadOnlyList<(double X, string Variant)> Points);

    /// <summary>The chart: what x is, the final metric (a <see cref="SummaryMeasure"/> key) and the curves. With
    /// <paramref name="CompareAtSameX"/>, the paired comparison table sets every curve's variant against the first
    /// curve's at the same x (a schedule against the reference schedule of the same budget); without it the
    /// experiment's one baseline stays.</summary>
    public sealed record Figure(string XLabel, string MetricKey, IReadOnlyList<Curve> Curves, bool CompareAtSameX = true);

    /// <summary>Each curve's variant against the first curve's variant at the same x, for the paired comparison table;
    /// variants at an x the first curve lacks are compared with nothing. Null when the figure keeps one baseline.</summary>
    public static IReadOnlyDictionary<string, string>? Baselines(Figure figure)
    {
        if (!figure.CompareAtSameX) return null;
        var reference = figure.Curves[0].Points.ToDictionary(p => p.X, p => p.Variant);
        return figure.Curves.Skip(1).SelectMany(c => c.Points).Where(p => reference.ContainsKey(p.X))
            .ToDictionary(p => p.Variant, p => reference[p.X]);
    }

    /// <summary>The chart of a preset, or null when its variants do not span budgets or batch sizes.</summary>
    public static Figure? For(string preset) => preset switch
    {
        "super-convergence" => new("budget (epochs)", "test_accuracy",
        [
            new("1cycle", [.. Presets.SuperConvergenceEpochs.Select(e => (e, Presets.SuperConvergenceOneCycle(e)))]),
            .. Presets.SuperConvergenceCosineLrs.Select(lr => new Curve(FormattableString.Invariant($"cosine lr {lr}"),
                [.. Presets.SuperConvergenceEpochs.Select(e => (e, Presets.SuperConvergenceCosine(lr, e)))])),
        ]),
        "wsd" => new("budget (epochs)", "test_accuracy",
        [
            new("cosine", [.. Presets.WsdEpochs.Select(e => (e, Presets.WsdCosine(e)))]),
            new($"WSD, {Presets.WsdCooldown:P0} cooldown", [.. Presets.WsdEpochs.Select(e => (e, Presets.WsdVariant(e, Presets.WsdCooldown)))]),
            .. Presets.WsdCooldownAblation.Select(f => new Curve($"WSD, {f:P0} cooldown", [(Presets.WsdAblationEpochs, Presets.WsdVariant(Presets.WsdAblationEpochs, f))])),
        ]),
        "linear-decay" => new("budget (steps)", "test_loss",
        [
            new("linear → 0", [.. Presets.LinearDecaySteps.Select(s => ((double)s, Presets.LinearToZero(s)))]),
            new("cosine → 0", [.. Presets.LinearDecaySteps.Select(s => ((double)s, Presets.CosineToZero(s)))]),
            new("cosine → 10 %", [.. Presets.LinearDecaySteps.Select(s => ((double)s, Presets.CosineToTenth(s)))]),
        ]),
        "large-batch" => new("batch size (lr scaled linearly)", "test_accuracy",
        [
            .. new[] { true, false }.Select(warmup => new Curve(warmup ? "gradual warmup" : "no warmup",
                [.. Presets.LargeBatchMultipliers.Select(k => ((double)(k * Presets.LargeBatchBase), Presets.LargeBatchVariant(k, warmup)))])),
        ], CompareAtSameX: false),
        _ => null,
    };
}
