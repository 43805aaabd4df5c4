namespace TrainKit.Training.Reports;

/// <summary>A row of `trainkit correlate`: a quantity of the final model that might predict its generalization gap.
/// Baselines (final train loss, gradient norm) are not sharpness measures: Jiang et al. 2020 list them so that a
/// measure is only interesting when it ranks the gap better than they do.</summary>
public sealed record CorrelationMeasure(string Key, string Title, Func<CellRecord, double?> Read, bool Baseline = false)
{
    public const string TrainLossKey = "train_loss";

    static CorrelationMeasure Standard(string key, string? title = null, bool baseline = false)
    {
        var measure = SummaryMeasure.Standard.First(m => m.Key == key);
        return new(key, title ?? measure.Title, measure.Read, baseline);
    }

    static CorrelationMeasure Analysis(string key, string title, string path) => new(key, title, c => CellRecord.Number(c.Analysis, path));

    /// <summary>In the order the report lists them. Every measure but the σ′ rows grows with sharpness, so there τ > 0
    /// means "sharper generalizes worse"; σ′ grows with flatness (read τ &lt; 0), and its flatness 1/σ′² is listed too.</summary>
    public static readonly IReadOnlyList<CorrelationMeasure> All =
    [
        Standard(TrainLossKey, "final train loss (baseline)", baseline: true),
        new("gradient_norm", "gradient norm ‖∇L‖ (baseline)", c => CellRecord.Number(c.Analysis, "loss.gradient_norm"), Baseline: true),
        Standard("lambda_max"),
        Analysis("filter_normalized_lambda_max", "filter-normalized λ_max", "scale_aware.filter_normalized_lambda_max.value"),
        Standard("lambda_max_scaled"),
        Standard("trace"),
        Standard("pac_bayes_sigma"),
        Analysis("pac_bayes_flatness", "PAC-Bayes flatness 1/σ′²", "pac_bayes.magnitude_aware_sigma.flatness"),
        Analysis("jiang_pac_bayes_sigma", "PAC-Bayes σ′ (Jiang, accuracy drop)", "pac_bayes.jiang.sigma"),
        Analysis("jiang_pac_bayes_flatness", "PAC-Bayes flatness 1/σ′² (Jiang)", "pac_bayes.jiang.flatness"),
        Standard("eps_sharpness"),
        Standard("rho_sharpness"),
        Analysis("adaptive_sharpness", "adaptive sharpness (ASAM)", "adaptive_sharpness.asam.value"),
        Analysis("average_case_sharpness", "average-case adaptive sharpness", "adaptive_sharpness.average_case.value"),
        Analysis("m_sharpness", "worst-case adaptive m-sharpness", "adaptive_sharpness.m_sharpness.value"),
    ];

    /// <summary>The generalization gaps τ is taken with: Jiang et al.'s (train − test accuracy) first.</summary>
    public static readonly IReadOnlyList<SummaryMeasure> Gaps =
        [SummaryMeasure.Standard.First(m => m.Key == "accuracy_gap"), SummaryMeasure.Standard.First(m => m.Key == "loss_gap")];
}
