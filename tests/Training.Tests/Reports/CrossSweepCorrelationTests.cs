using System.Text.Json.Nodes;
using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;

namespace TrainKit.Training.Tests.Reports;

public class CrossSweepCorrelationTests
{
    /// <summary>A sweep folder whose finished cells have the given (λ_max, test loss) with train loss 0.1.</summary>
    static string SweepFolder(string name, params (double LambdaMax, double TestLoss)[] cells)
    {
        string dir = Path.Combine(Directory.CreateTempSubdirectory("trainkit-corr-").FullName, name);
        var spec = new ExperimentSpec { Name = name, Variants = [.. cells.Select((_, i) => new VariantSpec($"v{i}"))], Seeds = [0] };
        var sweep = new TrainKit.Training.Experiments.Sweep(spec, dir);
        sweep.WriteLayout();
        foreach (var (cell, (lambda, testLoss)) in sweep.Cells().Zip(cells))
        {
            string folder = sweep.CellDirectory(cell);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "summary.json"), new JsonObject
            {
                ["test"] = new JsonObject { ["loss"] = testLoss, ["accuracy"] = 0.9 - testLoss / 10 },
                ["train"] = new JsonObject { ["loss"] = 0.1, ["accuracy"] = 0.95 },
            }.ToJsonString());
            File.WriteAllText(Path.Combine(folder, "analysis.json"), new JsonObject
            {
                ["lambda_max"] = new JsonObject { ["lanczos"] = new JsonObject { ["value"] = lambda } },
            }.ToJsonString());
            File.WriteAllText(Path.Combine(folder, TrainKit.Training.Experiments.Sweep.DoneFile), "{}");
        }
        return dir;
    }

    [Fact]
    public void Pools_the_finished_cells_of_several_sweeps_and_ranks_each_measure_against_both_gaps()
    {
        string concordant = SweepFolder("a", (1, 0.2), (2, 0.3), (3, 0.4));
        string reversed = SweepFolder("b", (4, 0.3), (5, 0.2), (6, 0.1));
        string output = Directory.CreateTempSubdirectory("trainkit-corr-out-").FullName;

        var rows = CrossSweepCorrelation.Build([concordant, reversed], output);

        double Tau(string scope, string gap) => Assert.Single(rows, r => r.Scope == scope && r.Gap == gap && r.Measure == "λ_max (Lanczos)").Tau;
        Assert.Equal(1, Tau("a", "test − train loss"), 12);
        Assert.Equal(-1, Tau("b", "test − train loss"), 12);
        Assert.Equal(1, Tau("a", "train − test accuracy"), 12); // accuracy falls as the test loss rises
        // Pooled, gaps in λ order .1 .2 .3 .2 .1 0: 4 concordant, 9 discordant, 2 ties in the gap: τ-b = −5/√(13·15).
        Assert.Equal(-5 / Math.Sqrt(13 * 15), Tau("all", "test − train loss"), 12);
        Assert.Equal(6, Assert.Single(rows, r => r.Scope == "all" && r.Gap == "test − train loss").Cells);
        string markdown = File.ReadAllText(Path.Combine(output, "correlation.md"));
        Assert.Contains("## All sweeps pooled", markdown);
        Assert.Contains("| λ_max (Lanczos) | +1.000 | +1.000 | 3 |", markdown);
        Assert.Equal(1 + rows.Count, File.ReadAllLines(Path.Combine(output, "correlation.csv")).Length);
    }

    [Fact]
    public void A_sweep_with_too_few_analysed_cells_is_a_clear_error()
    {
        string small = SweepFolder("small", (1, 0.2), (2, 0.3));
        var ex = Assert.Throws<InvalidOperationException>(() => CrossSweepCorrelation.Build([small], Path.GetTempPath()));
        Assert.Contains("at least 3 are needed", ex.Message);
    }
}
