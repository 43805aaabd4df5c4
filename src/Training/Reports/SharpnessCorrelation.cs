using TrainKit.Training.Statistics;

namespace TrainKit.Training.Reports;

/// <summary>Kendall's τ-b between a measure of the final model and the generalization gap (test − train loss) across a
/// sweep's finished runs, with a 95 % percentile-bootstrap interval that resamples variants (configurations), not seeds,
/// as Jiang et al. 2020 do; the measures are <c>trainkit correlate</c>'s (<see cref="CorrelationMeasure.All"/>),
/// baselines included, so a sharpness measure can be read against the final train loss.</summary>
public sealed record SharpnessCorrelation(string Measure, double Tau, Interval Ci, int Cells, int Variants, bool Baseline)
{
    public static IReadOnlyList<SharpnessCorrelation> WithGap(IReadOnlyList<CellRecord> cells, string gapKey = "loss_gap")
    {
        var gap = SummaryMeasure.Standard.First(m => m.Key == gapKey);
        var result = new List<SharpnessCorrelation>();
        foreach (var measure in CorrelationMeasure.All)
        {
            var points = cells.Where(c => !c.Diverged).Select(c => (c.Variant, X: measure.Read(c), Y: gap.Read(c)))
                .Where(p => p.X is double x && double.IsFinite(x) && p.Y is double y && double.IsFinite(y))
                .Select(p => (p.Variant, X: p.X!.Value, Y: p.Y!.Value)).ToList();
            var clusters = points.GroupBy(p => p.Variant).Select(g => (IReadOnlyList<(double X, double Y)>)[.. g.Select(p => (p.X, p.Y))]).ToList();
            // τ needs three runs; an interval over variants needs at least two of them.
            if (points.Count < 3 || clusters.Count < 2) continue;
            double tau = KendallTau.TauB([.. points.Select(p => (p.X, p.Y))]);
            var ci = ClusterBootstrap.Interval(clusters, KendallTau.TauB);
            result.Add(new SharpnessCorrelation(measure.Title, tau, ci, points.Count, clusters.Count, measure.Baseline));
        }
        return result;
    }
}
