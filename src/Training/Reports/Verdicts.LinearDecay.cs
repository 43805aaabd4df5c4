using TrainKit.Training.Experiments;

namespace TrainKit.Training.Reports;

public static partial class Verdicts
{
    /// <summary>A validation-loss gain below this many nats is no gain worth the name (about 0.5 % of the loss).</summary>
    public const double LinearDecayMargin = 0.01;

    public static IEnumerable<ClaimVerdict> LinearDecay(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries)
    {
        // Losses: the gain of linear→0 over a cosine is (cosine − linear), positive when linear ends lower.
        double? Loss(CellRecord c) => Metric(c, "test_loss"); // a diverged cell has none and drops out of its pairs; PerSeed names it
        long shortSteps = Presets.LinearDecaySteps[0], longSteps = Presets.LinearDecaySteps[^1];
        string[] needed = [.. Presets.LinearDecaySteps.SelectMany(s => new[] { Presets.LinearToZero(s), Presets.CosineToZero(s), Presets.CosineToTenth(s) })];
        if (needed.Any(v => Of(cells, v).Count == 0)) yield break;
        int seeds = needed.Min(v => Of(cells, v).Count);
        string Prefix() => seeds < MinimumSeeds ? TooFew(seeds) + " " : "";
        string AllPerSeed() => string.Join("; ", needed.Select(v => PerSeed(cells, v, Loss)));

        var gainTenth = Paired(cells, Presets.CosineToTenth(longSteps), Presets.LinearToZero(longSteps), Loss);
        var gainTenthShort = Paired(cells, Presets.CosineToTenth(shortSteps), Presets.LinearToZero(shortSteps), Loss);
        yield return new ClaimVerdict($"At {longSteps} steps, linear decay to zero ends at a lower validation loss than cosine decay to 10 %.",
            Gain(gainTenth, LinearDecayMargin, seeds),
            Prefix() + $"Validation loss, cosine→10 % − linear→0, paired by seed: {longSteps} steps {Ci(gainTenth)} nats; {shortSteps} steps {Ci(gainTenthShort)} nats. " +
            GainRule(LinearDecayMargin, "nats"))
        { PerSeed = AllPerSeed(), Seeds = seeds };

        var growth = DifferenceOfDifferences(cells, (Presets.CosineToTenth(longSteps), Presets.LinearToZero(longSteps)),
            (Presets.CosineToTenth(shortSteps), Presets.LinearToZero(shortSteps)), Loss);
        yield return new ClaimVerdict($"The gain of linear→0 over cosine→10 % grows from {shortSteps} to {longSteps} steps (more tokens per parameter).",
            Direction(growth, seeds),
            Prefix() + $"Per seed, the gain at {longSteps} steps minus the gain at {shortSteps}: {Ci(growth)} nats. " + DirectionRule)
        { PerSeed = AllPerSeed(), Seeds = seeds };

        var gainZero = Paired(cells, Presets.CosineToZero(longSteps), Presets.LinearToZero(longSteps), Loss);
        yield return new ClaimVerdict($"At {longSteps} steps, linear decay to zero also ends below cosine decay to zero.",
            Gain(gainZero, LinearDecayMargin, seeds),
            Prefix() + $"Validation loss, cosine→0 − linear→0, paired by seed: {Ci(gainZero)} nats. " + GainRule(LinearDecayMargin, "nats"))
        { PerSeed = AllPerSeed(), Seeds = seeds };
    }
}
