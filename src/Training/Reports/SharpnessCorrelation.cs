namespace TrainKit.Training.Reports;

/// <summary>Kendall's τ between a sharpness measure and the generalization gap (test − train loss, or train −
/// test accuracy) across runs: Jiang et al. 2020's way of asking which measure predicts generalization.</summary>
public sealed record SharpnessCorrelation(string Measure, double Tau, int Cells)
{
    public static readonly string[] Measures = ["lambda_max", "lambda_max_scaled", "trace", "eps_sharpness", "rho_sharpness", "pac_bayes_sigma"];

    public static IReadOnlyList<SharpnessCorrelation> WithGap(IReadOnlyList<CellRecord> cells, string gapKey = "loss_gap")
    {
        var gap = SummaryMeasure.Standard.First(m => m.Key == gapKey);
        var result = new List<SharpnessCorrelation>();
        foreach (string key in Measures)
        {
            var measure = SummaryMeasure.Standard.First(m => m.Key == key);
            var pairs = cells.Where(c => !c.Diverged).Select(c => (X: measure.Read(c), Y: gap.Read(c)))
                .Where(p => p.X is not null && p.Y is not null).Select(p => (p.X!.Value, p.Y!.Value)).ToList();
            if (pairs.Count >= 3) result.Add(new SharpnessCorrelation(measure.Title, KendallTau(pairs), pairs.Count));
        }
        return result;
    }

    /// <summary>τ-b, from <see cref="Statistics.KendallTau"/>.</summary>
    public static double KendallTau(IReadOnlyList<(double X, double Y)> pairs) => Statistics.KendallTau.TauB(pairs);
}
