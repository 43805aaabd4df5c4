using System.Text.Json.Nodes;
using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;

namespace TrainKit.Training.Tests.Experiments;

public class PresetTests
{
    [Fact]
    public void Edge_of_stability_runs_end_to_end_on_a_reduced_setting_and_decides_a_verdict()
    {
        ExperimentSpec full = Presets.Get("edge-of-stability");
        var reduced = full with
        {
            Seeds = [0], Analyze = false,
            Base = full.Base with { Steps = 80, LogEvery = 10, EvalEvery = 30, CheckpointEvery = 0, ProbeEvery = 10, ProbeExamples = 200,
                                    Data = full.Base.Data with { Subset = 500, EvalExamples = 200 } },
        };
        string outDir = Directory.CreateTempSubdirectory("trainkit-eos-").FullName;
        new Sweep(reduced, outDir).Run(Shard.All, (cell, folder) => CellRunner.Run(reduced, cell, folder));
        var report = ReportBuilder.Build(outDir, Presets.Judge("edge-of-stability"));
        ClaimVerdict verdict = Assert.Single(report.Verdicts);
        Assert.Contains("η = 0.04: 2/η = 50.0", verdict.Evidence);
        Assert.Contains("sharpness_during_training", File.ReadAllText(report.Html));
        Assert.All(report.Cells, c => Assert.Equal(8, c.Series("lambda_max").Values.Length));
    }

    static CellRecord Cell(string variant, double testLoss, double testAccuracy, long seed = 0, List<JsonObject>? metrics = null) =>
        new($"{variant}__seed{seed}", variant, seed, "/nonexistent", metrics ?? [],
            new JsonObject { ["test"] = new JsonObject { ["loss"] = testLoss, ["accuracy"] = testAccuracy }, ["train"] = new JsonObject { ["loss"] = testLoss - 0.1, ["accuracy"] = testAccuracy } },
            null);

    static IReadOnlyList<VariantSummary> Summaries(IReadOnlyList<CellRecord> cells) => cells.GroupBy(c => c.Variant)
        .Select(g => new VariantSummary(g.Key, g.Count(), 0, SummaryMeasure.Standard.ToDictionary(m => m.Key, m => MeanStd.Of(g.Select(m.Read))))).ToList();

    [Theory]
    [InlineData(3.0, 2.0, 2.02, 2.0, true)]   // Post-LN suffers without warmup, Pre-LN does not
    [InlineData(2.02, 2.0, 2.02, 2.0, false)] // neither needs warmup
    [InlineData(3.0, 2.0, 3.0, 2.0, false)]   // both need it
    public void Warmup_postln_verdict_follows_its_rule(double postNone, double postWarm, double preNone, double preWarm, bool reproduced)
    {
        var cells = new[]
        {
            Cell("postln-warmup0", postNone, 0), Cell("postln-warmup50", postWarm + 0.01, 0), Cell("postln-warmup200", postWarm, 0),
            Cell("preln-warmup0", preNone, 0), Cell("preln-warmup50", preWarm, 0), Cell("preln-warmup200", preWarm + 0.01, 0),
        };
        Assert.Equal(reproduced, Assert.Single(Verdicts.WarmupPostLn(cells, Summaries(cells))).Reproduced);
    }

    [Theory]
    [InlineData(0.85, 0.75, 0.845, true)]
    [InlineData(0.85, 0.845, 0.845, false)] // no warmup already fine
    [InlineData(0.85, 0.75, 0.80, false)]   // warmup does not recover
    public void Large_batch_verdict_follows_its_rule(double small, double none, double warm, bool reproduced)
    {
        var cells = new[] { Cell("b64-lr0.05", 0.5, small), Cell("b1024-lr0.8-no-warmup", 0.5, none), Cell("b1024-lr0.8-warmup", 0.5, warm) };
        Assert.Equal(reproduced, Assert.Single(Verdicts.LargeBatch(cells, Summaries(cells))).Reproduced);
    }

    [Fact]
    public void Restarts_verdict_reads_accuracy_at_the_cycle_ends()
    {
        List<JsonObject> Curve(params double[] accuracyAtEpochs) =>
            [.. accuracyAtEpochs.Select((a, i) => new JsonObject { ["step"] = 78 * (i + 1), ["epoch"] = i + 1.0, ["test_accuracy"] = a })];
        var cells = new[]
        {
            Cell("sgdr", 0.4, 0.90, metrics: Curve(0.80, 0.70, 0.86, 0.8, 0.8, 0.85, 0.90)),
            Cell("cosine", 0.4, 0.899, metrics: Curve(0.70, 0.75, 0.80, 0.85, 0.87, 0.89, 0.899)),
            Cell("step", 0.4, 0.89, metrics: Curve(0.70, 0.72, 0.75, 0.80, 0.85, 0.87, 0.89)),
        };
        ClaimVerdict verdict = Assert.Single(Verdicts.Restarts(cells, Summaries(cells)));
        Assert.True(verdict.Reproduced, verdict.Evidence);
        Assert.Contains("epoch 1: SGDR 0.8000, cosine 0.7000", verdict.Evidence);
    }
}
