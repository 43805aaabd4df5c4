using System.Globalization;
using TrainKit.Training.Experiments;

namespace TrainKit.Training.Reports;

public static partial class Verdicts
{
    /// <summary>A loss spike: a training loss logged in the first <see cref="SpikeWindow"/> steps above this multiple of
    /// ln(10), the loss of the untrained 10-class model; a stable run only falls from there.</summary>
    public const double SpikeFactor = 1.1;
    public const long SpikeWindow = 100;

    /// <summary>A run "trains" when it does not diverge and ends at this test accuracy or more.</summary>
    public const double TrainedAccuracy = 0.5;

    public static IEnumerable<ClaimVerdict> WarmupSharpness(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries)
    {
        static bool Spiked(CellRecord c)
        {
            var (steps, loss) = c.Series("train_loss");
            return c.Diverged || steps.Zip(loss).Any(p => p.First <= SpikeWindow && p.Second > SpikeFactor * Math.Log(10));
        }
        bool Trains(CellRecord c) => !c.Diverged && Metric(c, "test_accuracy") is double a && a >= TrainedAccuracy;
        double[] beyond = [.. Presets.WarmupSharpnessMultiples.Where(m => m > 1)];
        int longest = Presets.WarmupSharpnessWarmups[^1];
        var present = Presets.WarmupSharpnessMultiples.SelectMany(m => Presets.WarmupSharpnessWarmups.Select(w => Presets.WarmupSharpnessVariant(m, w)))
            .Where(v => Of(cells, v).Count > 0).ToList();
        if (present.Count == 0) yield break;
        int seeds = present.Min(v => Of(cells, v).Count);
        string Prefix() => seeds < MinimumSeeds ? TooFew(seeds) + " " : "";
        string Mark(CellRecord c) => $"seed {c.Seed} {(c.Diverged ? "diverged" : Spiked(c) ? "spiked" : "smooth")}, {(Metric(c, "test_accuracy") is double a ? a.ToString("P1", CultureInfo.InvariantCulture) : "n/a")}";
        string Runs(IEnumerable<string> variants) => string.Join("; ", variants.Where(v => Of(cells, v).Count > 0).Select(v => $"{v}: " + string.Join(", ", Of(cells, v).Select(Mark))));

        // Without warmup, every target lr beyond 2/λ₀ spikes or diverges.
        var none = beyond.SelectMany(m => Of(cells, Presets.WarmupSharpnessVariant(m, 0))).ToList();
        if (none.Count > 0)
        {
            int held = none.Count(Spiked);
            yield return new ClaimVerdict("Without warmup, a target lr beyond 2/λ₀ makes the training loss spike (a catapult) or diverge.", CountOutcome(held, none.Count, seeds),
                Prefix() + $"Runs whose loss spiked (a logged training loss above {SpikeFactor}·ln 10 in the first {SpikeWindow} steps) or diverged: {held} of {none.Count} " +
                $"(95 % Clopper–Pearson {Ci(Statistics.ClopperPearson.Of(held, none.Count))}). " + CountRule)
            { PerSeed = Runs(beyond.Select(m => Presets.WarmupSharpnessVariant(m, 0))), Seeds = seeds };
        }

        // With the longest warmup, the same lrs neither spike nor diverge, and λ_max has followed 2/η down by the end of the warmup.
        var warm = beyond.SelectMany(m => Of(cells, Presets.WarmupSharpnessVariant(m, longest))).ToList();
        if (warm.Count > 0)
        {
            int held = warm.Count(c => !Spiked(c));
            var ratios = warm.Where(c => !c.Diverged).Select(c => (Cell: c, Ratio: SharpnessOverThreshold(c, longest))).Where(r => r.Ratio is not null).ToList();
            string ratioText = ratios.Count == 0 ? "no run reached the end of its warmup" :
                string.Join(", ", ratios.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Cell.Variant} seed {r.Cell.Seed} {r.Ratio:F2}")));
            yield return new ClaimVerdict($"With a {longest}-step warmup, the same target lrs train without a spike or divergence.", CountOutcome(held, warm.Count, seeds),
                Prefix() + $"Runs without a spike or divergence: {held} of {warm.Count} (95 % Clopper–Pearson {Ci(Statistics.ClopperPearson.Of(held, warm.Count))}). " +
                $"λ_max · η / 2 at the first probe after the warmup (≤ 1: at or below the stability threshold 2/η): {ratioText}. " + CountRule)
            { PerSeed = Runs(beyond.Select(m => Presets.WarmupSharpnessVariant(m, longest))), Seeds = seeds };
        }

        // The usable lr: the largest target multiple at which every seed trains, per warmup length.
        double? Largest(int w) => Presets.WarmupSharpnessMultiples.Where(m => Of(cells, Presets.WarmupSharpnessVariant(m, w)) is { Count: > 0 } run && run.All(Trains))
            .Select(m => (double?)m).DefaultIfEmpty(null).Max();
        var usable = Presets.WarmupSharpnessWarmups.Select(w => (Warmup: w, Largest: Largest(w))).ToList();
        double? without = usable[0].Largest, with = usable[^1].Largest;
        var outcome = seeds < MinimumSeeds ? VerdictOutcome.Inconclusive
            : without == Presets.WarmupSharpnessMultiples[^1] ? VerdictOutcome.Inconclusive // the grid never reaches the no-warmup limit
            : (with ?? 0) > (without ?? 0) ? VerdictOutcome.Reproduced : VerdictOutcome.NotReproduced;
        yield return new ClaimVerdict($"Warmup widens the range of target lrs that train: the largest trainable multiple of 2/λ₀ is larger with a {longest}-step warmup than without.", outcome,
            Prefix() + "Largest multiple of 2/λ₀ at which every seed trains (no divergence, final test accuracy ≥ 50 %): " +
            string.Join("; ", usable.Select(u => $"warmup {u.Warmup}: {(u.Largest is double m ? m.ToString(CultureInfo.InvariantCulture) : "none")}")) + ". " +
            "Rule: reproduced when it is larger with the longest warmup than without; not reproduced when it is not; inconclusive when every multiple trains without warmup (the grid cannot show a widening).")
        { PerSeed = Runs(present), Seeds = seeds };
    }

    /// <summary>λ_max·η/2 at the first probe at or after the end of the warmup, or null when the run never got there.</summary>
    static double? SharpnessOverThreshold(CellRecord cell, int warmup)
    {
        var (steps, lambda) = cell.Series("lambda_max");
        var (lrSteps, lr) = cell.Series("lr");
        int i = Array.FindIndex(steps, s => s >= warmup);
        if (i < 0) return null;
        int j = Array.FindIndex(lrSteps, s => s >= steps[i]);
        return j < 0 ? null : lambda[i] * lr[j] / 2;
    }
}
