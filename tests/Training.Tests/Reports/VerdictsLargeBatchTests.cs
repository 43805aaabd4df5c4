using System.Text.Json.Nodes;
using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;
using static TrainKit.Training.Tests.Reports.VerdictCells;

namespace TrainKit.Training.Tests.Reports;

public class VerdictsLargeBatchTests
{
    static readonly double[] Jitter = [0.000, 0.002, -0.002, 0.001, -0.001];

    /// <summary>Five seeds of a variant around an accuracy, each logging its lr up to <paramref name="steps"/>.</summary>
    static IEnumerable<CellRecord> Around(string variant, double accuracy, long steps, double scale = 1) =>
        Jitter.Select((j, seed) => Cell(variant, 1 - accuracy, accuracy + scale * j, seed,
            [new JsonObject { ["step"] = (double)steps / 2, ["lr"] = 0.1 }, new JsonObject { ["step"] = (double)steps, ["lr"] = 0.0 }]));

    /// <summary>Batch 32 at 85 %; with warmup each k loses <paramref name="warmLoss"/>(k); without, 20 points at k = 16.</summary>
    static List<CellRecord> Sweep(Func<int, double> warmLoss, long topSteps = 585) =>
    [
        .. Around("k1", 0.85, topSteps * 16),
        .. Presets.LargeBatchMultipliers.Skip(1).SelectMany(k => Around(Presets.LargeBatchVariant(k, true), 0.85 - warmLoss(k), topSteps * 16 / k, scale: -1)),
        .. Presets.LargeBatchMultipliers.Skip(1).SelectMany(k => Around(Presets.LargeBatchVariant(k, false), k == 16 ? 0.65 : 0.85, topSteps * 16 / k, scale: 0.5)),
    ];

    [Fact]
    public void Warmup_holding_the_accuracy_at_every_k_and_no_warmup_failing_at_the_largest_reproduce()
    {
        var cells = Sweep(_ => 0.002);
        var verdicts = Verdicts.LargeBatch(cells, Summaries(cells)).ToList();
        Assert.Equal([VerdictOutcome.Reproduced, VerdictOutcome.Reproduced], verdicts.Select(v => v.Outcome));
        Assert.Contains("k = 16 (batch 512) −0.0020", verdicts[0].Evidence);
        Assert.Contains("for every k up to 16", verdicts[0].Evidence);
        Assert.Contains("warmup − no warmup, over the seeds where both trained: +0.1980", verdicts[1].Evidence);
    }

    [Fact]
    public void A_no_warmup_run_that_diverges_alone_counts_for_the_claim_without_breaking_the_interval()
    {
        // No warmup at k = 16 matches warmup on four seeds and diverges on the fifth (as in the committed run).
        var cells = Sweep(_ => 0.002).Where(c => c.Variant != "k16-no-warmup")
            .Concat(Around("k16-no-warmup", 0.848, 585).Where(c => c.Seed > 0)).Append(Diverged("k16-no-warmup", 0)).ToList();
        var verdict = Verdicts.LargeBatch(cells, Summaries(cells)).Last();
        Assert.Equal(VerdictOutcome.Reproduced, verdict.Outcome);
        Assert.Contains("over 4 seed pair(s)", verdict.Evidence);
        Assert.Contains("did not: 1", verdict.Evidence);
        Assert.Contains("seed 0 diverged", verdict.PerSeed);

        var noneDiverged = Sweep(_ => 0.002).Where(c => c.Variant != "k16-no-warmup").Concat(Around("k16-no-warmup", 0.848, 585)).ToList();
        Assert.Equal(VerdictOutcome.NotReproduced, Verdicts.LargeBatch(noneDiverged, Summaries(noneDiverged)).Last().Outcome);
    }

    [Fact]
    public void A_clear_loss_at_a_large_k_is_not_reproduced_and_names_the_range_where_the_rule_held()
    {
        var cells = Sweep(k => k >= 8 ? 0.03 : 0.001);
        var first = Verdicts.LargeBatch(cells, Summaries(cells)).First();
        Assert.Equal(VerdictOutcome.NotReproduced, first.Outcome);
        Assert.Contains("for every k up to 4", first.Evidence);
    }

    [Fact]
    public void Too_few_steps_at_the_largest_batch_is_not_testable()
    {
        var cells = Sweep(_ => 0.03, topSteps: 90);
        var verdicts = Verdicts.LargeBatch(cells, Summaries(cells)).ToList();
        Assert.All(verdicts, v => Assert.Equal(VerdictOutcome.NotTestable, v.Outcome));
        Assert.Contains("trained only 90 steps", verdicts[0].Evidence);
    }
}
