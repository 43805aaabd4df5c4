using System.Text.Json.Nodes;
using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;
using static TrainKit.Training.Tests.Reports.VerdictCells;

namespace TrainKit.Training.Tests.Experiments;

public class PresetTests
{
    [Trait("Category", "Slow")]
    [Fact]
    public void Edge_of_stability_runs_end_to_end_on_a_reduced_setting_and_decides_a_verdict()
    {
        ExperimentSpec full = Presets.Get("edge-of-stability");
        var reduced = full with
        {
            Seeds = [0],
            Analyze = false,
            Base = full.Base with
            {
                Steps = 80,
                LogEvery = 10,
                EvalEvery = 30,
                CheckpointEvery = 0,
                ProbeEvery = 10,
                ProbeExamples = 200,
                Data = full.Base.Data with { Subset = 500, EvalExamples = 200 }
            },
        };
        string outDir = Directory.CreateTempSubdirectory("trainkit-eos-").FullName;
        new Sweep(reduced, outDir).Run(Shard.All, (cell, folder) => CellRunner.Run(reduced, cell, folder));
        var report = ReportBuilder.Build(outDir, Verdicts.For("edge-of-stability"));
        Assert.Equal(2, report.Verdicts.Count);
        Assert.Contains("η = 0.03: 2/η = 66.7", report.Verdicts[0].Evidence);
        Assert.Contains("sharpness_during_training", File.ReadAllText(report.Html));
        Assert.All(report.Cells, c => Assert.Equal(8, c.Series("lambda_max").Values.Length));
    }

    /// <summary>Three seeds of a variant, one value per seed (loss, accuracy).</summary>
    static IEnumerable<CellRecord> Seeds(string variant, double[] losses, double[] accuracies, Func<int, List<JsonObject>>? metrics = null) =>
        losses.Select((l, i) => Cell(variant, l, accuracies[i], i, metrics?.Invoke(i)));

    static double[] Three(double a, double b, double c) => [a, b, c];

    /// <summary>One edge-of-stability run: λ_max every 25 steps rising linearly from <paramref name="startFraction"/>·2/η
    /// to 2/η by step 500, then hovering; the train loss every 25 steps falling, with a spike at step 700 when
    /// <paramref name="spikeAfterCrossing"/>.</summary>
    static List<JsonObject> EdgeRun(double eta, double startFraction, bool spikeAfterCrossing)
    {
        double edge = 2 / eta;
        return [.. Enumerable.Range(0, 41).Select(i =>
        {
            long step = 25L * i;
            double lambda = step < 500 ? edge * (startFraction + (1 - startFraction) * step / 500.0) : edge * (1 + 0.02 * Math.Sin(i));
            double loss = 1.0 / (1 + step / 100.0) + (spikeAfterCrossing && step == 700 ? 0.05 : 0);
            return new JsonObject { ["step"] = (double)step, ["lambda_max"] = lambda, ["train_loss"] = loss };
        })];
    }

    static List<CellRecord> EdgeCells(double startFraction, bool spikeAfterCrossing) =>
        [.. Presets.EdgeOfStabilitySteps.SelectMany(eta => Enumerable.Range(0, 3).Select(seed =>
            Cell(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"eta{eta}"), 0.1, 0.8, seed, EdgeRun(eta, startFraction, spikeAfterCrossing))))];

    [Fact]
    public void Edge_of_stability_needs_a_start_well_below_2_over_eta_and_a_falling_nonmonotone_loss_after_the_crossing()
    {
        var clean = EdgeCells(startFraction: 0.5, spikeAfterCrossing: true);
        var verdicts = Verdicts.EdgeOfStability(clean, Summaries(clean)).ToList();
        Assert.Equal([VerdictOutcome.Reproduced, VerdictOutcome.Reproduced], verdicts.Select(v => v.Outcome));
        Assert.Contains("9 of 9", verdicts[0].Evidence);
        Assert.Contains("crossing at step 350", verdicts[1].PerSeed); // first probe inside the band: 0.5 + 0.5·350/500 = 0.85 of 2/η
        Assert.Contains("logged rises 0 before / 1 after", verdicts[1].PerSeed);
        Assert.All(verdicts, v => Assert.Equal(3, v.Seeds));

        // Starting at 90 % of 2/η is not progressive sharpening: the first half is not reproduced.
        var atTheEdge = EdgeCells(startFraction: 0.9, spikeAfterCrossing: true);
        Assert.Equal(VerdictOutcome.NotReproduced, Verdicts.EdgeOfStability(atTheEdge, Summaries(atTheEdge)).First().Outcome);

        // A loss that falls monotonically after the crossing is the stable regime, not the edge of stability.
        var monotone = EdgeCells(startFraction: 0.5, spikeAfterCrossing: false);
        var second = Verdicts.EdgeOfStability(monotone, Summaries(monotone)).Last();
        Assert.Equal(VerdictOutcome.NotReproduced, second.Outcome);
        Assert.Contains("0 of 9", second.Evidence);
    }

    static List<JsonObject> Curve(params double[] accuracyAtEpochs) =>
        [.. accuracyAtEpochs.Select((a, i) => new JsonObject { ["step"] = 78 * (i + 1), ["epoch"] = i + 1.0, ["test_accuracy"] = a })];

    [Fact]
    public void Restarts_anytime_compares_each_cycle_end_with_a_cosine_annealed_to_that_budget()
    {
        // SGDR's epoch-1 model is the 1-epoch cosine's; at epoch 3 it is within 0.1 pt of the 3-epoch cosine; final
        // accuracies that straddle each other (+0.18 pt, CI ±2 pt).
        var cells = Seeds("sgdr", Three(0.4, 0.4, 0.4), Three(0.899, 0.886, 0.8934), i => Curve(0.80 + 0.01 * i, 0.7, 0.86 + 0.0005 * i, 0.8, 0.8, 0.8, 0.88))
            .Concat(Seeds("cosine-1ep", Three(0.4, 0.4, 0.4), Three(0.80, 0.81, 0.82)))
            .Concat(Seeds("cosine-3ep", Three(0.4, 0.4, 0.4), Three(0.8605, 0.8603, 0.8612)))
            .Concat(Seeds("cosine", Three(0.4, 0.4, 0.4), Three(0.892, 0.901, 0.880), i => Curve(0.70 + 0.005 * i, 0.7, 0.80, 0.8, 0.8, 0.8, 0.84)))
            .ToList();
        var verdicts = Verdicts.Restarts(cells, Summaries(cells)).ToList();
        Assert.Equal(2, verdicts.Count);
        Assert.Equal(VerdictOutcome.Reproduced, verdicts[0].Outcome);
        Assert.Contains("epoch 1: SGDR − cosine-1ep 0.0000 [0.0000, 0.0000] over 3 seed pair(s)", verdicts[0].Evidence);
        Assert.Contains("epoch 3: SGDR − cosine-3ep", verdicts[0].Evidence);
        Assert.Contains("mid-run model at the same epoch: epoch 1: +0.1050", verdicts[0].Evidence);
        Assert.Equal(VerdictOutcome.Inconclusive, verdicts[1].Outcome);
        Assert.Contains("seed 2 0.8934", verdicts[1].PerSeed);

        // Two points below the 3-epoch cosine at every seed: anytime performance fails.
        var worseAtEpoch3 = cells.Select(c => c.Variant == "sgdr" ? c with { Metrics = Curve(0.80 + 0.01 * c.Seed, 0.70, 0.84 - 0.001 * c.Seed, 0.8, 0.8, 0.85, 0.88) } : c).ToList();
        Assert.Equal(VerdictOutcome.NotReproduced, Verdicts.Restarts(worseAtEpoch3, Summaries(worseAtEpoch3)).First().Outcome);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Restarts_runs_end_to_end_on_a_reduced_setting_with_a_snapshot_ensemble()
    {
        ExperimentSpec full = Presets.Get("restarts");
        var reduced = full with
        {
            Seeds = [0],
            Analyze = false,
            // 156 steps per epoch at batch 64: snapshots at steps 8, 16 and 24.
            Base = full.Base with
            {
                BatchSize = 64,
                Steps = 24,
                SnapshotEpochs = [8 / 156.0, 16 / 156.0, 24 / 156.0],
                EvalEvery = 8,
                CheckpointEvery = 0,
                Model = (TrainKit.Training.Config.CifarResNetModelConfig)full.Base.Model with { Width = 0.25 },
                Data = full.Base.Data with { EvalExamples = 300 }
            },
        };
        string outDir = Directory.CreateTempSubdirectory("trainkit-restarts-").FullName;
        new Sweep(reduced, outDir).Run(Shard.All, (cell, folder) => CellRunner.Run(reduced, cell, folder));
        var report = ReportBuilder.Build(outDir, Verdicts.For("restarts"));

        Assert.Equal(4, report.Cells.Count);
        foreach (var cell in report.Cells.Where(c => c.Variant is "sgdr" or "cosine"))
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
        Assert.All(report.Summaries.Where(s => s.Variant is "sgdr" or "cosine"), s => Assert.NotNull(s.Measures["ensemble_test_accuracy"]));
        // The cycle ends at epochs 1, 3, 7 lie beyond 24 steps: only the final comparison and the ensemble are judged, on 1 seed.
        Assert.Equal(2, report.Verdicts.Count);
        ClaimVerdict verdict = report.Verdicts[^1];
        Assert.Contains("ensemble of all cycle-end snapshots", verdict.Evidence);
        Assert.Contains(verdict.Outcome, new[] { VerdictOutcome.Inconclusive, VerdictOutcome.NotTestable });
        Assert.Contains("id=\"chart-snapshot_ensemble\"", File.ReadAllText(report.Html));
    }
}
