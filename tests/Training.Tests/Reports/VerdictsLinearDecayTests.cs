using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;
using static TrainKit.Training.Tests.Reports.VerdictCells;

namespace TrainKit.Training.Tests.Reports;

public class VerdictsLinearDecayTests
{
    static readonly double[] Jitter = [0.000, 0.002, -0.002, 0.001, -0.001];

    static IEnumerable<CellRecord> Around(string variant, double loss, double scale = 1) =>
        Losses(variant, [.. Jitter.Select(j => loss + scale * j)]);

    /// <summary>Cosine→10 % and cosine→0 end above linear→0 by the given gaps (nats) at each budget.</summary>
    static List<CellRecord> Sweep(double tenthShort, double tenthLong, double zeroLong)
    {
        long s = Presets.LinearDecaySteps[0], l = Presets.LinearDecaySteps[^1];
        return
        [
            .. Around(Presets.LinearToZero(s), 2.0), .. Around(Presets.CosineToTenth(s), 2.0 + tenthShort, -1), .. Around(Presets.CosineToZero(s), 2.0, 0.5),
            .. Around(Presets.LinearToZero(l), 1.5), .. Around(Presets.CosineToTenth(l), 1.5 + tenthLong, -1), .. Around(Presets.CosineToZero(l), 1.5 + zeroLong, 0.5),
        ];
    }

    [Fact]
    public void A_gain_over_cosine_to_a_tenth_that_grows_with_the_budget_reproduces()
    {
        var cells = Sweep(tenthShort: 0.01, tenthLong: 0.06, zeroLong: 0.03);
        var verdicts = Verdicts.LinearDecay(cells, Summaries(cells)).ToList();
        Assert.Equal([VerdictOutcome.Reproduced, VerdictOutcome.Reproduced, VerdictOutcome.Reproduced], verdicts.Select(v => v.Outcome));
        Assert.Contains("3200 steps +0.0600", verdicts[0].Evidence);
        Assert.Contains("400 steps +0.0100", verdicts[0].Evidence);
        Assert.Contains("+0.0500", verdicts[1].Evidence);
        Assert.All(verdicts, v => Assert.Equal(5, v.Seeds));
    }

    [Fact]
    public void Equal_losses_are_not_reproduced_and_a_shrinking_gain_refutes_the_growth()
    {
        var cells = Sweep(tenthShort: 0.05, tenthLong: 0.0, zeroLong: 0.0);
        var verdicts = Verdicts.LinearDecay(cells, Summaries(cells)).ToList();
        Assert.Equal([VerdictOutcome.NotReproduced, VerdictOutcome.NotReproduced, VerdictOutcome.NotReproduced], verdicts.Select(v => v.Outcome));
    }
}
