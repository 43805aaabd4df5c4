using System.Globalization;
using TrainKit.Training.Experiments;
using TrainKit.Training.Statistics;

namespace TrainKit.Training.Reports;

public static partial class Verdicts
{
    /// <summary>A cell counts as stuck when its validation loss stays at or above this many nats: the character-unigram
    /// loss of the fortunes text is ≈ 3.36 nats, and every run that trained reached below 2.3.</summary>
    public const double StuckLoss = 3.2;

    /// <summary>Warmup's effect on a loss below this many nats counts as none (Pre-LN's equivalence margin).</summary>
    public const double WarmupPostLnMargin = 0.05;

    public static IEnumerable<ClaimVerdict> WarmupPostLn(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries)
    {
        double? Loss(CellRecord c) => Metric(c, "test_loss");
        bool Trained(CellRecord c) => !c.Diverged && Loss(c) is double l && l < StuckLoss;
        string Count(List<CellRecord> run) => $"{run.Count(Trained)} of {run.Count} ({Ci(ClopperPearson.Of(run.Count(Trained), run.Count))})";

        // Post-LN, one verdict per peak lr: train-or-stuck counts (Fisher's exact test) and the paired cost in loss.
        foreach (double lr in Presets.WarmupPostLnLrs)
        {
            string none = Presets.WarmupPostLnVariant("post", lr, false), warm = Presets.WarmupPostLnVariant("post", lr, true);
            var (n0, n1) = (Of(cells, none), Of(cells, warm));
            if (n0.Count == 0 || n1.Count == 0) continue;
            int k0 = n0.Count(Trained), k1 = n1.Count(Trained), seeds = Math.Min(n0.Count, n1.Count);
            double fisher = FisherExact.TwoSidedP(k1, n1.Count - k1, k0, n0.Count - k0);
            var cost = Paired(cells, none, warm, Loss); // > 0: leaving warmup out costs validation loss
            var outcome = seeds < MinimumSeeds ? VerdictOutcome.Inconclusive
                : (fisher < 0.05 && k1 > k0) || cost.Ci.Low > 0 || n0.Any(c => c.Diverged) ? VerdictOutcome.Reproduced
                : k0 >= k1 && cost.Ci.High < WarmupPostLnMargin ? VerdictOutcome.NotReproduced : VerdictOutcome.Inconclusive;
            string lrText = lr.ToString(CultureInfo.InvariantCulture);
            yield return new ClaimVerdict($"At peak lr {lrText}, a Post-LN transformer trained with Adam without warmup stays stuck or ends worse than with it.", outcome,
                (seeds < MinimumSeeds ? TooFew(seeds) + " " : "") +
                $"Escaped the unigram plateau (validation loss < {StuckLoss} nats) without warmup: {Count(n0)}; with {Presets.WarmupPostLnWarmup} warmup steps: {Count(n1)} " +
                $"(95 % Clopper–Pearson); Fisher's exact p = {fisher.ToString("0.###", CultureInfo.InvariantCulture)}. Paired cost of leaving warmup out (loss without − with): {Ci(cost)} nats. " +
                $"Rule: reproduced when Fisher p < 0.05 with fewer escapes without warmup, or the cost's CI lies above 0 (or a no-warmup seed diverged); " +
                $"not reproduced when no fewer seeds escape without warmup and the cost's CI lies below +{WarmupPostLnMargin} nats; otherwise inconclusive.")
            { PerSeed = PerSeed(cells, none, Loss) + "; " + PerSeed(cells, warm, Loss), Seeds = seeds };
        }

        // Pre-LN: the best lr without warmup against the best lr with it (best = lowest mean validation loss).
        string? Best(bool warmup) => Presets.WarmupPostLnLrs.Select(lr => Presets.WarmupPostLnVariant("pre", lr, warmup))
            .Where(v => Of(cells, v).Any(c => Loss(c) is not null))
            .OrderBy(v => Of(cells, v).Select(Loss).Where(l => l is not null).Average()).FirstOrDefault();
        if (Best(false) is not string bestNone || Best(true) is not string bestWarm) yield break;
        var gap = Paired(cells, bestNone, bestWarm, Loss);
        int preSeeds = Math.Min(Of(cells, bestNone).Count, Of(cells, bestWarm).Count);
        var preOutcome = preSeeds < MinimumSeeds ? VerdictOutcome.Inconclusive
            : Of(cells, bestNone).All(Trained) && gap.Ci.Low >= -WarmupPostLnMargin && gap.Ci.High <= WarmupPostLnMargin ? VerdictOutcome.Reproduced
            : gap.Ci.Low > WarmupPostLnMargin ? VerdictOutcome.NotReproduced : VerdictOutcome.Inconclusive;
        yield return new ClaimVerdict("A Pre-LN transformer does not need warmup: at its best lr without warmup it ends as well as at its best lr with it.", preOutcome,
            (preSeeds < MinimumSeeds ? TooFew(preSeeds) + " " : "") +
            $"Validation loss, best without warmup ({bestNone}) − best with warmup ({bestWarm}), paired by seed: {Ci(gap)} nats; escaped without warmup: {Count(Of(cells, bestNone))}. " +
            $"The best lrs are chosen on the same data, which favours both arms alike. " +
            $"Rule: reproduced (equivalent) when every no-warmup seed escapes and the CI lies inside ±{WarmupPostLnMargin} nats; not reproduced when it lies above +{WarmupPostLnMargin}; otherwise inconclusive.")
        { PerSeed = PerSeed(cells, bestNone, Loss) + "; " + PerSeed(cells, bestWarm, Loss), Seeds = preSeeds };
    }
}
