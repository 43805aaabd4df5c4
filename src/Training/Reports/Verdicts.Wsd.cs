using TrainKit.Training.Experiments;

namespace TrainKit.Training.Reports;

public static partial class Verdicts
{
    /// <summary>WSD "matches" cosine when its test accuracy is at most this much below (the lower end of the CI).</summary>
    public const double WsdMargin = 0.005;

    public static IEnumerable<ClaimVerdict> WarmupStableDecay(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries)
    {
        Func<CellRecord, double?> Acc = AccuracyOrChance;
        var budgets = Presets.WsdEpochs
            .Select(e => (Epochs: e, Wsd: Presets.WsdVariant(e, Presets.WsdCooldown), Cosine: Presets.WsdCosine(e)))
            .Where(b => Of(cells, b.Wsd).Count > 0 && Of(cells, b.Cosine).Count > 0)
            .Select(b => (b.Epochs, b.Wsd, b.Cosine, Diff: Paired(cells, b.Wsd, b.Cosine, Acc))).ToList();
        if (budgets.Count == 0) yield break;
        int seeds = budgets.SelectMany(b => new[] { b.Wsd, b.Cosine }).Min(v => Of(cells, v).Count);
        // Every budget must be non-inferior: a budget with no cells leaves the claim undecided.
        var outcome = AtEveryPoint([.. budgets.Select(b => NoWorse(b.Diff, WsdMargin, seeds)),
            .. Enumerable.Repeat(VerdictOutcome.Inconclusive, Presets.WsdEpochs.Length - budgets.Count)]);
        yield return new ClaimVerdict($"A constant lr with a {Presets.WsdCooldown:P0} (1−√) cooldown ends no worse than cosine of the same budget, at every budget.", outcome,
            (seeds < MinimumSeeds ? TooFew(seeds) + " " : "") +
            "Test accuracy, WSD − cosine, paired by seed: " + string.Join("; ", budgets.Select(b => $"{b.Epochs} epochs {Ci(b.Diff)}")) + ". " +
            $"Rule: reproduced when at every budget the CI's lower end is at or above −{WsdMargin:P1}; not reproduced when at any budget the whole CI lies below −{WsdMargin:P1}; otherwise inconclusive.")
        { PerSeed = string.Join("; ", budgets.Select(b => PerSeed(cells, b.Wsd, Acc) + " / " + PerSeed(cells, b.Cosine, Acc))), Seeds = seeds };

        // The cooldown ablation at the middle budget: a shorter cooldown than 20 % costs accuracy.
        double at = Presets.WsdAblationEpochs;
        string main = Presets.WsdVariant(at, Presets.WsdCooldown);
        var ablation = Presets.WsdCooldownAblation.Select(f => (Fraction: f, Name: Presets.WsdVariant(at, f)))
            .Where(a => Of(cells, a.Name).Count > 0 && Of(cells, main).Count > 0)
            .Select(a => (a.Fraction, a.Name, Diff: Paired(cells, a.Name, main, Acc))).ToList();
        var shorter = ablation.Where(a => a.Fraction < Presets.WsdCooldown).ToList();
        if (shorter.Count == 0) yield break;
        var (fraction, name, _) = shorter[0];
        int ablationSeeds = Math.Min(Of(cells, name).Count, Of(cells, main).Count);
        var cost = Paired(cells, main, name, Acc); // (20 % − shorter): positive when the shorter cooldown costs accuracy
        yield return new ClaimVerdict($"At {at} epochs, a {fraction:P0} cooldown ends worse than a {Presets.WsdCooldown:P0} one.",
            Gain(cost, WsdMargin, ablationSeeds),
            (ablationSeeds < MinimumSeeds ? TooFew(ablationSeeds) + " " : "") +
            "Test accuracy against the 20 % cooldown, paired by seed: " + string.Join("; ", ablation.Select(a => $"{a.Fraction:P0} cooldown {Ci(a.Diff)}")) + ". " +
            $"The claimed cost is (20 % − {fraction:P0}): {Ci(cost)}. " + GainRule(WsdMargin, "accuracy"))
        { PerSeed = string.Join("; ", ablation.Select(a => PerSeed(cells, a.Name, Acc)).Append(PerSeed(cells, main, Acc))), Seeds = ablationSeeds };
    }
}
