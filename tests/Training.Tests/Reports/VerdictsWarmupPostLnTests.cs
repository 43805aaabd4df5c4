using TrainKit.Training.Reports;
using static TrainKit.Training.Experiments.Presets;
using static TrainKit.Training.Tests.Reports.VerdictCells;

namespace TrainKit.Training.Tests.Reports;

public class VerdictsWarmupPostLnTests
{
    const double Low = 1e-3, High = 3e-3;

    static string V(string norm, double lr, bool warmup) => WarmupPostLnVariant(norm, lr, warmup);

    /// <summary>Post-LN: at lr 1e-3 every seed trains either way; at 3e-3 the given losses without warmup.
    /// Pre-LN: the given losses without warmup at its best lr (3e-3), 1.90–1.92 with warmup.</summary>
    static List<CellRecord> Sweep(double[] postHighNone, double[] preHighNone) =>
    [
        .. Losses(V("post", Low, false), 2.10, 2.12, 2.11, 2.09, 2.13), .. Losses(V("post", Low, true), 2.08, 2.10, 2.09, 2.10, 2.11),
        .. Losses(V("post", High, false), postHighNone), .. Losses(V("post", High, true), 1.95, 1.97, 1.96, 1.94, 1.98),
        .. Losses(V("pre", Low, false), 2.05, 2.06, 2.04, 2.05, 2.07), .. Losses(V("pre", Low, true), 2.04, 2.05, 2.05, 2.06, 2.04),
        .. Losses(V("pre", High, false), preHighNone), .. Losses(V("pre", High, true), 1.90, 1.92, 1.91, 1.90, 1.92),
    ];

    [Fact]
    public void Stuck_post_ln_seeds_without_warmup_reproduce_at_that_lr_and_pre_ln_within_the_margin_is_equivalent()
    {
        var cells = Sweep(postHighNone: [3.357, 3.352, 3.362, 3.355, 3.360], preHighNone: [1.91, 1.92, 1.92, 1.91, 1.93]);
        var verdicts = Verdicts.WarmupPostLn(cells, Summaries(cells)).ToList();
        Assert.Equal(3, verdicts.Count);
        // At 1e-3 Post-LN escapes either way and warmup gains nothing: not reproduced at that lr.
        Assert.Equal(VerdictOutcome.NotReproduced, verdicts[0].Outcome);
        Assert.Contains("At peak lr 0.001", verdicts[0].Claim);
        // At 3e-3: 0 of 5 escape without warmup, 5 of 5 with it: Fisher p = 0.008.
        Assert.Equal(VerdictOutcome.Reproduced, verdicts[1].Outcome);
        Assert.Contains("without warmup: 0 of 5", verdicts[1].Evidence);
        Assert.Contains("with 300 warmup steps: 5 of 5", verdicts[1].Evidence);
        Assert.Contains("Fisher's exact p = 0.008", verdicts[1].Evidence);
        Assert.Equal(VerdictOutcome.Reproduced, verdicts[2].Outcome);
        Assert.Contains("(preln-lr0.003-warmup0) − best with warmup (preln-lr0.003-warmup300)", verdicts[2].Evidence);
        Assert.All(verdicts, v => Assert.Equal(5, v.Seeds));
    }

    [Fact]
    public void Pre_ln_clearly_better_with_warmup_is_not_reproduced_and_few_seeds_are_inconclusive()
    {
        var cells = Sweep(postHighNone: [1.99, 2.00, 1.98, 2.01, 2.00], preHighNone: [2.20, 2.25, 2.30, 2.22, 2.28]);
        var verdicts = Verdicts.WarmupPostLn(cells, Summaries(cells)).ToList();
        Assert.Equal(VerdictOutcome.NotReproduced, verdicts[2].Outcome); // best without warmup is now lr 1e-3 at ≈ 2.05, 0.14 nats above 1.91
        Assert.Contains("best without warmup (preln-lr0.001-warmup0)", verdicts[2].Evidence);

        var few = cells.Where(c => c.Seed < 2).ToList();
        Assert.All(Verdicts.WarmupPostLn(few, Summaries(few)), v =>
        {
            Assert.Equal(VerdictOutcome.Inconclusive, v.Outcome);
            Assert.StartsWith("Only 2 seed(s)", v.Evidence);
        });
    }
}
