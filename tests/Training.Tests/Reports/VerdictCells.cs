using System.Text.Json.Nodes;
using TrainKit.Training.Reports;

namespace TrainKit.Training.Tests.Reports;

/// <summary>Cells with chosen final numbers for verdict-rule tests, which must not train.</summary>
public static class VerdictCells
{
    public static CellRecord Cell(string variant, double testLoss, double testAccuracy, long seed = 0, List<JsonObject>? metrics = null) =>
        new($"{variant}__seed{seed}", variant, seed, "/nonexistent", metrics ?? [],
            new JsonObject { ["test"] = new JsonObject { ["loss"] = testLoss, ["accuracy"] = testAccuracy }, ["train"] = new JsonObject { ["loss"] = testLoss - 0.1, ["accuracy"] = testAccuracy } },
            null);

    /// <summary>A cell whose training diverged: its folder holds the sweep's diverged marker and it has no final metrics.</summary>
    public static CellRecord Diverged(string variant, long seed)
    {
        string folder = Directory.CreateTempSubdirectory("trainkit-diverged-").FullName;
        File.WriteAllText(Path.Combine(folder, CellRecord.DivergedFile), "{}");
        return new($"{variant}__seed{seed}", variant, seed, folder, [], null, null);
    }

    public static IReadOnlyList<VariantSummary> Summaries(IReadOnlyList<CellRecord> cells) => cells.GroupBy(c => c.Variant)
        .Select(g => new VariantSummary(g.Key, g.Count(), 0, SummaryMeasure.Standard.ToDictionary(m => m.Key, m => MeanStd.Of(g.Select(m.Read))))).ToList();

    /// <summary>One cell per seed (0, 1, ...) of a variant with these test accuracies (test loss 1 − accuracy).</summary>
    public static IEnumerable<CellRecord> Accuracies(string variant, params double[] accuracies) =>
        accuracies.Select((a, seed) => Cell(variant, 1 - a, a, seed));

    /// <summary>One cell per seed (0, 1, ...) of a variant with these test losses (accuracy 0).</summary>
    public static IEnumerable<CellRecord> Losses(string variant, params double[] losses) =>
        losses.Select((l, seed) => Cell(variant, l, 0, seed));
}
