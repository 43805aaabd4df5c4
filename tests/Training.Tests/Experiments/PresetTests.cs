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
    [InlineData(3.0, 2.0, 2.02, 2.0, true, true)]    // Post-LN suffers without warmup, Pre-LN does not
    [InlineData(2.02, 2.0, 2.02, 2.0, false, true)]  // neither needs warmup
    [InlineData(3.0, 2.0, 3.0, 2.0, true, false)]    // both need it
    public void Warmup_postln_verdicts_follow_their_rules(double postNone, double postWarm, double preNone, double preWarm, bool postNeedsWarmup, bool preDoesWithout)
    {
        var cells = new[]
        {
            Cell("postln-warmup0", postNone, 0), Cell("postln-warmup50", postWarm + 0.01, 0), Cell("postln-warmup200", postWarm, 0),
            Cell("preln-warmup0", preNone, 0), Cell("preln-warmup50", preWarm, 0), Cell("preln-warmup200", preWarm + 0.01, 0),
        };
        var verdicts = Verdicts.WarmupPostLn(cells, Summaries(cells)).ToList();
        Assert.Equal([postNeedsWarmup, preDoesWithout], verdicts.Select(v => v.Reproduced));
        Assert.Contains("Post-LN", verdicts[0].Claim);
        Assert.Contains("Pre-LN", verdicts[1].Claim);
    }

    [Fact]
    public void Warmup_postln_verdict_uses_the_warmup_lengths_that_ran()
    {
        var cells = new[] { Cell("postln-warmup0", 3.0, 0), Cell("postln-warmup200", 2.0, 0), Cell("preln-warmup0", 2.0, 0), Cell("preln-warmup200", 2.01, 0) };
        var verdicts = Verdicts.WarmupPostLn(cells, Summaries(cells)).ToList();
        Assert.All(verdicts, v => Assert.True(v.Reproduced, v.Evidence));
        Assert.Contains("Post-LN 3.0000 / 2.0000", verdicts[0].Evidence);
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
            Cell("sgdr", 0.4, 0.90, metrics: Curve(0.80, 0.70, 0.86, 0.8, 0.8, 0.85, 0.88, 0.8, 0.8, 0.8, 0.8, 0.8, 0.85, 0.88, 0.90)),
            Cell("cosine", 0.4, 0.899, metrics: Curve(0.70, 0.75, 0.80, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88, 0.89, 0.895, 0.897, 0.899)),
            Cell("step", 0.4, 0.89, metrics: Curve(0.70, 0.72, 0.75, 0.76, 0.77, 0.78, 0.79, 0.80, 0.85, 0.86, 0.87, 0.88, 0.885, 0.887, 0.89)),
        };
        ClaimVerdict verdict = Assert.Single(Verdicts.Restarts(cells, Summaries(cells)));
        Assert.True(verdict.Reproduced, verdict.Evidence);
        Assert.Contains("epoch 1: SGDR 0.8000, cosine 0.7000", verdict.Evidence);
        Assert.Contains("epoch 7: SGDR 0.8800, cosine 0.8400", verdict.Evidence);

        var worseAtEpoch7 = cells.Select(c => c.Variant == "sgdr" ? c with { Metrics = Curve(0.80, 0.70, 0.86, 0.8, 0.8, 0.85, 0.83) } : c).ToArray();
        Assert.False(Assert.Single(Verdicts.Restarts(worseAtEpoch7, Summaries(worseAtEpoch7))).Reproduced);
    }

    [Fact]
    public void Restarts_runs_end_to_end_on_a_reduced_setting_with_a_snapshot_ensemble()
    {
        ExperimentSpec full = Presets.Get("restarts");
        var reduced = full with
        {
            Seeds = [0], Analyze = false,
            // 156 steps per epoch at batch 64: snapshots at steps 8, 16 and 24.
            Base = full.Base with { BatchSize = 64, Steps = 24, SnapshotEpochs = [8 / 156.0, 16 / 156.0, 24 / 156.0], EvalEvery = 8, CheckpointEvery = 0,
                                    Model = full.Base.Model with { Width = 0.25 }, Data = full.Base.Data with { EvalExamples = 300 } },
        };
        string outDir = Directory.CreateTempSubdirectory("trainkit-restarts-").FullName;
        new Sweep(reduced, outDir).Run(Shard.All, (cell, folder) => CellRunner.Run(reduced, cell, folder));
        var report = ReportBuilder.Build(outDir, Presets.Judge("restarts"));

        Assert.Equal(3, report.Cells.Count);
        foreach (var cell in report.Cells)
        {
            var json = cell.Ensemble ?? throw new Xunit.Sdk.XunitException($"{cell.Name} has no snapshot_ensemble.json");
            var singles = json["snapshots"]!.AsArray();
            var ensembles = json["ensembles"]!.AsArray();
            Assert.Equal([8L, 16, 24], singles.Select(s => s!["step"]!.GetValue<long>()));
            Assert.Equal(300, json["test_examples"]!.GetValue<int>());
            // The final snapshot is the final model: the same accuracy the run's summary reports.
            Assert.Equal(CellRecord.Number(cell.Summary, "test.accuracy")!.Value, CellRecord.Number(singles[^1], "test_accuracy")!.Value, 6);
            // An ensemble of one is its member; averaging probabilities never loses to the members' mean loss (Jensen).
            Assert.Equal(CellRecord.Number(singles[^1], "test_loss")!.Value, CellRecord.Number(ensembles[0], "test_loss")!.Value, 5);
            double meanSingleLoss = singles.Average(s => CellRecord.Number(s, "test_loss")!.Value);
            Assert.True(CellRecord.Number(json, "ensemble.test_loss") <= meanSingleLoss + 1e-6);
            Assert.Equal(3, CellRecord.Number(json, "ensemble.members"));
        }
        Assert.All(report.Summaries, s => Assert.NotNull(s.Measures["ensemble_test_accuracy"]));
        ClaimVerdict verdict = Assert.Single(report.Verdicts); // the cycle ends at epochs 1, 3, 7 lie beyond 24 steps
        Assert.Contains("ensemble of all cycle-end snapshots", verdict.Evidence);
        Assert.Contains("id=\"chart-snapshot_ensemble\"", File.ReadAllText(report.Html));
    }
}
