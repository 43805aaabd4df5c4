using TrainKit.Training.Statistics;

namespace TrainKit.Training.Reports;

/// <summary>
/// Jiang et al. 2020 ("Fantastic generalization measures and where to find them"), §4–5, on the selected runs: for
/// each measure and gap, Kendall's τ-b over the runs with a percentile-bootstrap 95 % interval that resamples
/// configurations (a configuration's seeds move together), the granulated Ψ (τ within groups of configurations that
/// differ only in one hyperparameter axis, averaged per axis, then over axes; on each configuration's mean over its
/// seeds, so that seeds of one configuration are not ranked against each other), and Kendall's partial τ of the
/// measure and the gap given the final train loss.
/// </summary>
public static class JiangCorrelation
{
    public sealed record Row(SummaryMeasure Gap, CorrelationMeasure Measure, int Runs, int Configurations, double Tau, Interval TauCi,
        double PartialTau, GranulatedTau.Result? Granulated);

    public const int MinimumRuns = 3;

    public static IReadOnlyList<Row> Of(CorrelationSelection selection, CorrelationOptions options)
    {
        var trainLoss = CorrelationMeasure.All.First(m => m.Key == CorrelationMeasure.TrainLossKey);
        var rows = new List<Row>();
        foreach (var gap in CorrelationMeasure.Gaps)
            foreach (var measure in CorrelationMeasure.All)
            {
                var points = selection.Runs
                    .Select(r => (Run: r, X: measure.Read(r.Cell), Y: gap.Read(r.Cell), Z: trainLoss.Read(r.Cell)))
                    .Where(p => p.X is not null && p.Y is not null && p.Z is not null)
                    .Select(p => (p.Run, X: p.X!.Value, Y: p.Y!.Value, Z: p.Z!.Value)).ToList();
                if (points.Count < MinimumRuns) continue;
                var byConfiguration = points.GroupBy(p => p.Run.Configuration).ToList();
                var clusters = byConfiguration.Select(g => (IReadOnlyList<(double X, double Y)>)[.. g.Select(p => (p.X, p.Y))]).ToList();
                double tau = KendallTau.TauB([.. points.Select(p => (p.X, p.Y))]);
                var ci = ClusterBootstrap.Interval(clusters, KendallTau.TauB, resamples: options.Resamples, seed: options.Seed);
                double partial = measure.Key == trainLoss.Key ? double.NaN : PartialKendallTau.Of([.. points.Select(p => (p.X, p.Y, p.Z))]);
                GranulatedTau.Result? granulated = selection.Axes.Count == 0 ? null : GranulatedTau.Of([.. byConfiguration.Select(g =>
                    new GranulatedTau.Point(g.First().Run.Hyperparameters, g.Average(p => p.X), g.Average(p => p.Y)))]);
                rows.Add(new Row(gap, measure, points.Count, byConfiguration.Count, tau, ci, partial, granulated));
            }
        return rows;
    }
}
