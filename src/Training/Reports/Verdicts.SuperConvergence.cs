using TrainKit.Training.Experiments;
using TrainKit.Training.Statistics;

namespace TrainKit.Training.Reports;

public static partial class Verdicts
{
    /// <summary>A gain of 1cycle over the tuned cosine below this (test accuracy) is no gain worth the name.</summary>
    public const double SuperConvergenceMargin = 0.005;

    public static IEnumerable<ClaimVerdict> SuperConvergence(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries)
    {
        Func<CellRecord, double?> Acc = AccuracyOrChance;
        var budgets = new List<(double Epochs, string OneCycle, string Cosine, PairedDifference Gap)>();
        foreach (double epochs in Presets.SuperConvergenceEpochs)
        {
            string oneCycle = Presets.SuperConvergenceOneCycle(epochs);
            // The tuned cosine: the grid lr with the best mean test accuracy. Tuned on the test set it is judged on,
            // which favours cosine, so a 1cycle win survives that bias.
            string? tuned = Presets.SuperConvergenceCosineLrs.Select(lr => Presets.SuperConvergenceCosine(lr, epochs))
                .Where(v => Of(cells, v).Any(c => Acc(c) is not null))
                .OrderByDescending(v => Of(cells, v).Select(Acc).Where(a => a is not null).Average())
                .FirstOrDefault();
            if (tuned is null || Of(cells, oneCycle).Count == 0) yield break;
            budgets.Add((epochs, oneCycle, tuned, Paired(cells, oneCycle, tuned, Acc)));
        }
        int seeds = budgets.SelectMany(b => new[] { b.OneCycle, b.Cosine }).Min(v => Of(cells, v).Count);
        string grid = string.Join(" / ", Presets.SuperConvergenceCosineLrs);
        string Lines() => string.Join("; ", budgets.Select(b => $"{b.Epochs} epochs: 1cycle − {b.Cosine} {Ci(b.Gap)}"));
        string PerBudget() => string.Join("; ", budgets.Select(b => PerSeed(cells, b.OneCycle, Acc) + " / " + PerSeed(cells, b.Cosine, Acc)));
        const string Tuning = "The cosine lr is the grid value (";
        string tuning = $"{Tuning}{grid}) with the best mean test accuracy at each budget, chosen on the same test data, which favours cosine; a diverged cell scores {ChanceAccuracy:P0}.";

        var (shortEpochs, _, shortCosine, shortGap) = budgets[0];
        yield return new ClaimVerdict($"At a short budget ({shortEpochs} epochs), 1cycle at the range test's largest lr beats a tuned cosine schedule.",
            Gain(shortGap, SuperConvergenceMargin, seeds),
            (seeds < MinimumSeeds ? TooFew(seeds) + " " : "") + $"Test accuracy, paired by seed: {Lines()}. {tuning} " + GainRule(SuperConvergenceMargin, "accuracy"))
        { PerSeed = PerBudget(), Seeds = seeds };

        // The gap shrinks: per seed, (1cycle − tuned cosine) at the short budget minus the same at the long one.
        var (longEpochs, longOneCycle, longCosine, longGap) = budgets[^1];
        var shrink = DifferenceOfDifferences(cells, (budgets[0].OneCycle, shortCosine), (longOneCycle, longCosine), Acc);
        yield return new ClaimVerdict($"1cycle's advantage over the tuned cosine shrinks from {shortEpochs} to {longEpochs} epochs.", Direction(shrink, seeds),
            (seeds < MinimumSeeds ? TooFew(seeds) + " " : "") +
            $"Per seed, (1cycle − {shortCosine}) at {shortEpochs} epochs minus (1cycle − {longCosine}) at {longEpochs} epochs: {Ci(shrink)}. {tuning} " + DirectionRule)
        { PerSeed = PerBudget(), Seeds = seeds };
    }
}
