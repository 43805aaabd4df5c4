using System.Globalization;
using TrainKit.Training.Experiments;

namespace TrainKit.Training.Reports;

public static partial class Verdicts
{
    /// <summary>"Matches the small-batch accuracy": at most this far below it (the lower end of the CI).</summary>
    public const double LargeBatchMargin = 0.01;

    /// <summary>Below this many steps at the largest batch, the warmup and the lr have too few updates to show the
    /// effect, so a failure says nothing about the claim (Goyal et al. ran about 1,250 steps per epoch for 90 epochs).</summary>
    public const int LargeBatchMinimumSteps = 300;

    public static IEnumerable<ClaimVerdict> LargeBatch(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries)
    {
        string small = Presets.LargeBatchVariant(1, false);
        var large = Presets.LargeBatchMultipliers.Skip(1).Where(k => Of(cells, Presets.LargeBatchVariant(k, true)).Count > 0).ToList();
        if (Of(cells, small).Count == 0 || large.Count == 0) yield break;
        Func<CellRecord, double?> Acc = AccuracyOrChance;
        int seeds = large.Select(k => Of(cells, Presets.LargeBatchVariant(k, true)).Count).Append(Of(cells, small).Count).Min();
        int top = large[^1];
        string topWarm = Presets.LargeBatchVariant(top, true), topNone = Presets.LargeBatchVariant(top, false);
        long steps = Of(cells, topWarm).Select(c => (long)c.Series("lr").Steps.DefaultIfEmpty(0).Max()).DefaultIfEmpty(0).Max();

        var warm = large.Select(k => (K: k, Diff: Paired(cells, Presets.LargeBatchVariant(k, true), small, Acc))).ToList();
        var outcomes = warm.Select(w => NoWorse(w.Diff, LargeBatchMargin, seeds)).ToList();
        int holdsUpTo = warm.TakeWhile((w, i) => outcomes[i] == VerdictOutcome.Reproduced).Select(w => w.K).DefaultIfEmpty(1).Last();
        string table = string.Join("; ", warm.Select(w => $"k = {w.K} (batch {w.K * Presets.LargeBatchBase}) {Ci(w.Diff)}"));
        string NotTestable() => $"Not testable: batch {top * Presets.LargeBatchBase} trained only {steps} steps (at least {LargeBatchMinimumSteps} needed). ";
        VerdictOutcome first = steps < LargeBatchMinimumSteps ? VerdictOutcome.NotTestable
            : AtEveryPoint(outcomes);
        yield return new ClaimVerdict($"With gradual warmup, the linearly scaled lr keeps the batch-{Presets.LargeBatchBase} accuracy at every k up to {top}.", first,
            (first == VerdictOutcome.NotTestable ? NotTestable() : "") + (seeds < MinimumSeeds ? TooFew(seeds) + " " : "") +
            $"Test accuracy with warmup − batch {Presets.LargeBatchBase}, paired by seed: {table}. It holds (CI's lower end at or above −{LargeBatchMargin:P0}) " +
            $"for every k up to {holdsUpTo}. A diverged cell scores {ChanceAccuracy:P0}. " +
            $"Rule: reproduced when it holds at every k; not reproduced when at some k the whole CI lies below −{LargeBatchMargin:P0}; otherwise inconclusive.")
        { PerSeed = string.Join("; ", large.Select(k => PerSeed(cells, Presets.LargeBatchVariant(k, true), Acc)).Prepend(PerSeed(cells, small, Acc))), Seeds = seeds };

        if (Of(cells, topNone).Count == 0) yield break;
        // A diverged run has no accuracy to pair: the interval is over the pairs where both trained, and a no-warmup
        // divergence its warmup pair did not share counts for the claim on its own (as Goyal et al.'s failures do).
        double? Trained(CellRecord c) => Metric(c, "test_accuracy");
        var gain = Paired(cells, topWarm, topNone, Trained);
        var warmDiverged = Of(cells, topWarm).Where(c => c.Diverged).Select(c => c.Seed).ToHashSet();
        int lone = Of(cells, topNone).Count(c => c.Diverged && !warmDiverged.Contains(c.Seed));
        var none = large.Where(k => Of(cells, Presets.LargeBatchVariant(k, false)).Count > 0)
            .Select(k => $"k = {k} {Ci(Paired(cells, Presets.LargeBatchVariant(k, false), small, Trained))}");
        int noneSeeds = Math.Min(Of(cells, topNone).Count, Of(cells, topWarm).Count);
        VerdictOutcome second = steps < LargeBatchMinimumSteps ? VerdictOutcome.NotTestable
            : noneSeeds < MinimumSeeds ? VerdictOutcome.Inconclusive
            : lone > 0 || (gain.Pairs >= MinimumSeeds && gain.Ci.Low > 0) ? VerdictOutcome.Reproduced
            : gain.Pairs >= MinimumSeeds && gain.Ci.High < LargeBatchMargin ? VerdictOutcome.NotReproduced : VerdictOutcome.Inconclusive;
        yield return new ClaimVerdict($"Without warmup, batch {top * Presets.LargeBatchBase} at the scaled lr ends below the same batch with warmup, or diverges.", second,
            (second == VerdictOutcome.NotTestable ? NotTestable() : "") + (noneSeeds < MinimumSeeds ? TooFew(noneSeeds) + " " : "") +
            $"Test accuracy at k = {top}, warmup − no warmup, over the seeds where both trained: {Ci(gain)}; no-warmup runs that diverged where the warmup run of the same seed did not: {lone}. " +
            $"Without warmup − batch {Presets.LargeBatchBase} (trained runs): {string.Join("; ", none)}. " +
            $"Rule: reproduced when a no-warmup run diverged alone or the CI lies above 0; not reproduced when none did and the CI's upper end is below +{LargeBatchMargin:P0}; otherwise inconclusive.")
        { PerSeed = PerSeed(cells, topWarm, Acc) + "; " + PerSeed(cells, topNone, Acc), Seeds = noneSeeds };
    }
}
