namespace TrainKit.Training.Reports;

/// <summary>One column of the comparison table: a name, how to read it from a cell, and how to print it.</summary>
public sealed record SummaryMeasure(string Key, string Title, Func<CellRecord, double?> Read, string Format = "F4")
{
    /// <summary>The table's columns. Sharpness figures come from analysis.json; "scale-aware" marks the
    /// variants that do not change when BatchNorm-invariant weights are rescaled.</summary>
    public static readonly IReadOnlyList<SummaryMeasure> Standard =
    [
        new("train_loss", "final train loss", c => CellRecord.Number(c.Summary, "train.loss")),
        new("test_loss", "test loss", c => CellRecord.Number(c.Summary, "test.loss")),
        new("test_accuracy", "test accuracy", c => CellRecord.Number(c.Summary, "test.accuracy"), "P2"),
        new("loss_gap", "gap (test − train loss)", c => CellRecord.Number(c.Summary, "test.loss") - CellRecord.Number(c.Summary, "train.loss")),
        new("accuracy_gap", "gap (train − test acc.)", c => CellRecord.Number(c.Summary, "train.accuracy") - CellRecord.Number(c.Summary, "test.accuracy"), "P2"),
        new("weight_norm", "final ‖w‖", c => c.Series("weight_norm").Values is { Length: > 0 } w ? w[^1] : null, "G4"),
        new("ensemble_test_accuracy", "snapshot-ensemble acc.", c => CellRecord.Number(c.Ensemble, "ensemble.test_accuracy"), "P2"),
        new("lambda_max", "λ_max (Lanczos)", c => CellRecord.Number(c.Analysis, "lambda_max.lanczos.value"), "G4"),
        new("lambda_max_scaled", "λ_max·‖w‖² (scale-aware)", c => CellRecord.Number(c.Analysis, "scale_aware.lambda_max_times_weight_norm_sq.value"), "G4"),
        new("trace", "Hessian trace", c => CellRecord.Number(c.Analysis, "trace.hutchinson.value"), "G4"),
        new("pac_bayes_sigma", "PAC-Bayes σ′", c => CellRecord.Number(c.Analysis, "pac_bayes.magnitude_aware_sigma.value"), "G4"),
        new("rho_sharpness", "ρ-sharpness (SAM)", c => CellRecord.Number(c.Analysis, "rho_sharpness.sam_first_order.value"), "G4"),
        new("eps_sharpness", "ε-sharpness (Keskar)", c => CellRecord.Number(c.Analysis, "eps_sharpness.keskar.value"), "G4"),
    ];
}
