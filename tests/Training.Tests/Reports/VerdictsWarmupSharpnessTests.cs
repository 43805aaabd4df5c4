using System.Text.Json.Nodes;
using TrainKit.Training.Reports;
using static TrainKit.Training.Experiments.Presets;
using static TrainKit.Training.Tests.Reports.VerdictCells;

namespace TrainKit.Training.Tests.Reports;

public class VerdictsWarmupSharpnessTests
{
    /// <summary>A run's log: the training loss every 10 steps (spiking to 5 at step 10 when <paramref name="spike"/>),
    /// the lr warming up linearly to <paramref name="lr"/>, and λ_max = <paramref name="lambda"/> throughout.</summary>
    static List<JsonObject> Log(bool spike, double lr, int warmup, double lambda) =>
        [.. Enumerable.Range(1, 40).Select(i => new JsonObject
        {
            ["step"] = 10.0 * i,
            ["train_loss"] = spike && i == 1 ? 5.0 : 2.0 / i,
            ["lr"] = warmup == 0 ? lr : lr * Math.Min(1, 10.0 * i / warmup),
            ["lambda_max"] = lambda,
        })];

    static IEnumerable<CellRecord> Runs(double m, int warmup, bool spike, double accuracy) =>
        Enumerable.Range(0, 3).Select(seed => Cell(WarmupSharpnessVariant(m, warmup), 1 - accuracy, accuracy, seed,
            Log(spike, WarmupSharpnessLr(m), warmup, lambda: 2 / WarmupSharpnessLr(m))));

    static List<CellRecord> Sweep(bool warmupHelps) =>
    [
        .. Runs(1, 0, spike: false, 0.8), .. Runs(2, 0, spike: true, 0.75), .. Runs(4, 0, spike: true, 0.1),
        .. Runs(1, 100, spike: false, 0.8), .. Runs(2, 100, spike: false, 0.8), .. Runs(4, 100, spike: true, 0.1),
        .. Runs(1, 250, spike: false, 0.8), .. Runs(2, 250, spike: !warmupHelps, 0.8), .. Runs(4, 250, spike: !warmupHelps, warmupHelps ? 0.8 : 0.1),
    ];

    [Fact]
    public void Spikes_without_warmup_a_smooth_long_warmup_and_a_wider_trainable_range_reproduce()
    {
        var cells = Sweep(warmupHelps: true);
        var verdicts = Verdicts.WarmupSharpness(cells, Summaries(cells)).ToList();
        Assert.Equal([VerdictOutcome.Reproduced, VerdictOutcome.Reproduced, VerdictOutcome.Reproduced], verdicts.Select(v => v.Outcome));
        Assert.Contains("spiked", verdicts[0].PerSeed);
        Assert.Contains("6 of 6", verdicts[0].Evidence);
        Assert.Contains("m4-warmup250 seed 0 1.00", verdicts[1].Evidence); // λ_max exactly at 2/η after the warmup
        Assert.Contains("warmup 0: 2; warmup 100: 2; warmup 250: 4", verdicts[2].Evidence);
    }

    [Fact]
    public void A_long_warmup_that_spikes_as_well_and_no_wider_range_are_not_reproduced()
    {
        var cells = Sweep(warmupHelps: false);
        var verdicts = Verdicts.WarmupSharpness(cells, Summaries(cells)).ToList();
        Assert.Equal([VerdictOutcome.Reproduced, VerdictOutcome.NotReproduced, VerdictOutcome.NotReproduced], verdicts.Select(v => v.Outcome));
        Assert.Contains("0 of 6", verdicts[1].Evidence);
    }
}
