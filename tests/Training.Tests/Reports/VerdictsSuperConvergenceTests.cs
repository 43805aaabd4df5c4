using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;
using static TrainKit.Training.Tests.Reports.VerdictCells;

namespace TrainKit.Training.Tests.Reports;

public class VerdictsSuperConvergenceTests
{
    static readonly double[] Jitter = [0.000, 0.002, -0.001, 0.001, -0.002];

    static IEnumerable<CellRecord> Around(string variant, double accuracy, int seeds = 5, double scale = 1) =>
        Accuracies(variant, [.. Jitter.Take(seeds).Select(j => accuracy + scale * j)]);

    /// <summary>1cycle and the cosine grid at both budgets; lr 0.1 is the tuned cosine at each.</summary>
    static List<CellRecord> Sweep(double oneCycleShort, double oneCycleLong, int seeds = 5) =>
    [
        .. Around(Presets.SuperConvergenceOneCycle(2), oneCycleShort, seeds, scale: -1),
        .. Around(Presets.SuperConvergenceCosine(0.05, 2), 0.80, seeds),
        .. Around(Presets.SuperConvergenceCosine(0.1, 2), 0.82, seeds),
        .. Around(Presets.SuperConvergenceCosine(0.2, 2), 0.81, seeds),
        .. Around(Presets.SuperConvergenceOneCycle(8), oneCycleLong, seeds, scale: 0.5),
        .. Around(Presets.SuperConvergenceCosine(0.05, 8), 0.86, seeds),
        .. Around(Presets.SuperConvergenceCosine(0.1, 8), 0.88, seeds),
        .. Around(Presets.SuperConvergenceCosine(0.2, 8), 0.87, seeds),
    ];

    [Fact]
    public void A_short_budget_win_over_the_tuned_cosine_that_shrinks_at_the_long_budget_reproduces_both_halves()
    {
        var cells = Sweep(oneCycleShort: 0.85, oneCycleLong: 0.882);
        var verdicts = Verdicts.SuperConvergence(cells, Summaries(cells)).ToList();
        Assert.Equal([VerdictOutcome.Reproduced, VerdictOutcome.Reproduced], verdicts.Select(v => v.Outcome));
        Assert.Contains("2 epochs: 1cycle − cosine-lr0.1-2ep +0.0300", verdicts[0].Evidence);
        Assert.Contains("8 epochs: 1cycle − cosine-lr0.1-8ep +0.0020", verdicts[0].Evidence);
        Assert.Contains("over 5 seed pair(s)", verdicts[1].Evidence);
        Assert.All(verdicts, v => Assert.Equal(5, v.Seeds));
    }

    [Fact]
    public void No_gain_at_the_short_budget_is_not_reproduced_and_few_seeds_are_inconclusive()
    {
        var tie = Sweep(oneCycleShort: 0.82, oneCycleLong: 0.88);
        var verdicts = Verdicts.SuperConvergence(tie, Summaries(tie)).ToList();
        Assert.Equal(VerdictOutcome.NotReproduced, verdicts[0].Outcome); // the CI's upper end is below +0.5 points
        Assert.Equal(VerdictOutcome.Inconclusive, verdicts[1].Outcome); // no gap, so nothing shrinks either way

        var twoSeeds = Sweep(oneCycleShort: 0.85, oneCycleLong: 0.882, seeds: 2);
        var few = Verdicts.SuperConvergence(twoSeeds, Summaries(twoSeeds)).ToList();
        Assert.All(few, v => Assert.Equal(VerdictOutcome.Inconclusive, v.Outcome));
        Assert.All(few, v => Assert.StartsWith("Only 2 seed(s)", v.Evidence));
    }
}
