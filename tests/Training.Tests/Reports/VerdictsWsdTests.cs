using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;
using static TrainKit.Training.Tests.Reports.VerdictCells;

namespace TrainKit.Training.Tests.Reports;

public class VerdictsWsdTests
{
    static readonly double[] Jitter = [0.000, 0.001, -0.001, 0.0005, -0.0005];

    static IEnumerable<CellRecord> Around(string variant, double accuracy, double scale = 1) =>
        Accuracies(variant, [.. Jitter.Select(j => accuracy + scale * j)]);

    static List<CellRecord> Sweep(double wsdGapAt8, double cooldown10Gap) =>
    [
        .. Presets.WsdEpochs.SelectMany(e => Around(Presets.WsdCosine(e), 0.80 + e / 100)),
        .. Presets.WsdEpochs.SelectMany(e => Around(Presets.WsdVariant(e, Presets.WsdCooldown), 0.80 + e / 100 + (e == 8 ? wsdGapAt8 : 0.001), scale: -1)),
        .. Around(Presets.WsdVariant(4, 0.1), 0.84 + 0.001 + cooldown10Gap, scale: 0.5),
        .. Around(Presets.WsdVariant(4, 0.4), 0.84 + 0.002, scale: 0.5),
    ];

    [Fact]
    public void WSD_within_the_margin_at_every_budget_and_a_costly_short_cooldown_reproduce()
    {
        var cells = Sweep(wsdGapAt8: 0.001, cooldown10Gap: -0.02);
        var verdicts = Verdicts.WarmupStableDecay(cells, Summaries(cells)).ToList();
        Assert.Equal([VerdictOutcome.Reproduced, VerdictOutcome.Reproduced], verdicts.Select(v => v.Outcome));
        Assert.Contains("2 epochs +0.0010", verdicts[0].Evidence);
        Assert.Contains("8 epochs +0.0010", verdicts[0].Evidence);
        Assert.Contains("10% cooldown −0.0200", verdicts[1].Evidence.Replace("10 %", "10%"));
        Assert.Contains("40", verdicts[1].Evidence);
    }

    [Fact]
    public void WSD_clearly_below_cosine_at_one_budget_is_not_reproduced_and_a_free_short_cooldown_refutes_the_ablation()
    {
        var cells = Sweep(wsdGapAt8: -0.02, cooldown10Gap: 0);
        var verdicts = Verdicts.WarmupStableDecay(cells, Summaries(cells)).ToList();
        Assert.Equal([VerdictOutcome.NotReproduced, VerdictOutcome.NotReproduced], verdicts.Select(v => v.Outcome));
        Assert.Contains("8 epochs −0.0200", verdicts[0].Evidence);
    }
}
