using System.Text.Json.Nodes;
using TrainKit.Training.Reports;

namespace TrainKit.Training.Tests.Reports;

public class SharpnessCorrelationTests
{
    static CellRecord Cell(string variant, long seed, double lambdaMax, double trainLoss, double testLoss) => new(
        $"{variant}__seed{seed}", variant, seed, Path.Combine(Path.GetTempPath(), "no-such-cell-folder"), [],
        new JsonObject { ["test"] = new JsonObject { ["loss"] = testLoss }, ["train"] = new JsonObject { ["loss"] = trainLoss } },
        new JsonObject { ["lambda_max"] = new JsonObject { ["lanczos"] = new JsonObject { ["value"] = lambdaMax } } });

    [Fact]
    public void The_report_correlates_measures_with_an_interval_over_variants_and_lists_the_baselines()
    {
        // λ_max rises with the gap across four variants; the train loss falls with it.
        var cells = new List<CellRecord>();
        for (int v = 0; v < 4; v++)
            for (int seed = 0; seed < 3; seed++)
                cells.Add(Cell($"v{v}", seed, lambdaMax: 10 + 5 * v + seed, trainLoss: 1.0 - 0.2 * v - 0.01 * seed, testLoss: 1.2 + 0.05 * seed));
        var rows = SharpnessCorrelation.WithGap(cells);
        var lambda = rows.Single(r => r.Measure.StartsWith("λ_max (Lanczos)", StringComparison.Ordinal));
        Assert.Equal((12, 4), (lambda.Cells, lambda.Variants));
        Assert.True(lambda.Tau > 0.5 && lambda.Ci.Low <= lambda.Tau && lambda.Tau <= lambda.Ci.High, $"τ {lambda.Tau} [{lambda.Ci.Low}, {lambda.Ci.High}]");
        Assert.Contains(rows, r => r.Baseline);                         // the final train loss is listed to compare with
        Assert.DoesNotContain(rows, r => r.Measure.Contains("trace", StringComparison.Ordinal));   // absent measures are left out
        // One variant: τ could be computed over its seeds, but there is no interval over configurations: no row.
        Assert.Empty(SharpnessCorrelation.WithGap([.. cells.Where(c => c.Variant == "v0")]));
    }
}
