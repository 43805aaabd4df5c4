using System.Globalization;
using System.Text.Json.Nodes;
using TrainKit.Training.Reports;

namespace TrainKit.Training.Experiments;

/// <summary>The rules that decide whether a claim preset reproduced its claim. Each states its thresholds
/// in the evidence it returns, so a reader can disagree with the rule and still use the numbers.</summary>
public static class Verdicts
{
    static string F(double v) => double.IsPositiveInfinity(v) ? "diverged" : v.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>Mean over seeds of a summary measure; +∞ when any seed of the variant diverged.</summary>
    static double Mean(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries, string variant, string measure)
    {
        if (cells.Any(c => c.Variant == variant && c.Diverged)) return double.PositiveInfinity;
        return summaries.FirstOrDefault(s => s.Variant == variant)?.Measures[measure]?.Mean ?? double.NaN;
    }

    public static IEnumerable<ClaimVerdict> WarmupPostLn(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries)
    {
        double L(string v) => Mean(cells, summaries, v, "test_loss");
        // The best of whichever warmup lengths the sweep ran (the preset has 50 and 200 steps).
        double BestWarmup(string norm) => summaries.Select(s => s.Variant)
            .Where(v => v.StartsWith($"{norm}ln-warmup", StringComparison.Ordinal) && v != $"{norm}ln-warmup0")
            .Select(L).Where(l => !double.IsNaN(l)).DefaultIfEmpty(double.NaN).Min();
        double postNone = L("postln-warmup0"), postBest = BestWarmup("post");
        double preNone = L("preln-warmup0"), preBest = BestWarmup("pre");
        if (new[] { postNone, postBest, preNone, preBest }.Any(double.IsNaN)) yield break;
        const double margin = 0.05; // nats of validation loss
        bool postNeeds = postNone - postBest > margin, preNeeds = preNone - preBest > margin;
        string evidence = $"Validation loss (mean over seeds) without / with the best warmup: Post-LN {F(postNone)} / {F(postBest)}, Pre-LN {F(preNone)} / {F(preBest)}. " +
                          $"Rule: warmup 'needed' when leaving it out costs more than {margin} nats or diverges.";
        // The claim has two halves, judged apart so that one failing does not hide the other.
        yield return new ClaimVerdict("Without warmup, a Post-LN transformer trained with Adam diverges or ends worse.", postNeeds, evidence);
        yield return new ClaimVerdict("A Pre-LN transformer does not need warmup.", !preNeeds, evidence);
    }

    public static IEnumerable<ClaimVerdict> LargeBatch(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries)
    {
        double A(string v) => Mean(cells, summaries, v, "test_accuracy");
        double small = A("b64-lr0.05"), none = A("b1024-lr0.8-no-warmup"), warm = A("b1024-lr0.8-warmup");
        if (new[] { small, none, warm }.Any(double.IsNaN)) yield break;
        const double tolerance = 0.01;
        bool reproduced = small - warm <= tolerance && (double.IsPositiveInfinity(none) || small - none > tolerance);
        yield return new ClaimVerdict(
            "At batch 1024 with the linearly scaled lr, gradual warmup recovers the batch-64 accuracy; no warmup does not.",
            reproduced,
            $"Test accuracy: batch 64 {F(small)}, batch 1024 without warmup {F(none)}, with warmup {F(warm)}. " +
            $"Rule: 'recovers' means within {tolerance:P0} of batch 64.");
    }

    public static IEnumerable<ClaimVerdict> Restarts(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries)
    {
        double AtEpoch(string variant, double epoch)
        {
            var values = cells.Where(c => c.Variant == variant && !c.Diverged).Select(c => AccuracyAtEpoch(c, epoch)).Where(v => v is not null).ToList();
            return values.Count == 0 ? double.NaN : values.Average(v => v!.Value);
        }
        var anytime = Presets.RestartsCycleEnds.SkipLast(1)
            .Select(e => (Epoch: e, Sgdr: AtEpoch("sgdr", e), Cosine: AtEpoch("cosine", e), Step: AtEpoch("step", e))).ToList();
        double sgdrFinal = Mean(cells, summaries, "sgdr", "test_accuracy"), cosineFinal = Mean(cells, summaries, "cosine", "test_accuracy");
        if (!anytime.Any(a => double.IsNaN(a.Sgdr) || double.IsNaN(a.Cosine)) && !double.IsNaN(sgdrFinal) && !double.IsNaN(cosineFinal))
        {
            const double tolerance = 0.005;
            bool reproduced = anytime.All(a => a.Sgdr > a.Cosine) && sgdrFinal >= cosineFinal - tolerance;
            string table = string.Join("; ", anytime.Select(a => $"epoch {a.Epoch}: SGDR {F(a.Sgdr)}, cosine {F(a.Cosine)}, step {F(a.Step)}"));
            yield return new ClaimVerdict(
                "SGDR's models at its cycle ends beat a single cosine decay at the same time, and it ends no worse.",
                reproduced,
                $"Test accuracy at SGDR's cycle ends: {table}. Final: SGDR {F(sgdrFinal)}, cosine {F(cosineFinal)}. " +
                $"Rule: SGDR higher at every cycle end and final within {tolerance:P1} of cosine.");
        }

        // Huang et al. 2017: the ensemble of all cycle-end snapshots against the last snapshot alone.
        var ensembles = cells.Where(c => c.Variant == "sgdr" && !c.Diverged && c.Ensemble is not null).ToList();
        if (ensembles.Count == 0) yield break;
        double ensemble = ensembles.Average(c => CellRecord.Number(c.Ensemble, "ensemble.test_accuracy") ?? double.NaN);
        double single = ensembles.Average(c => FinalSnapshotAccuracy(c) ?? double.NaN);
        double Control(string variant) => cells.Where(c => c.Variant == variant && c.Ensemble is not null)
            .Select(c => CellRecord.Number(c.Ensemble, "ensemble.test_accuracy") - FinalSnapshotAccuracy(c))
            .Where(d => d is not null).Select(d => d!.Value).DefaultIfEmpty(double.NaN).Average();
        if (double.IsNaN(ensemble) || double.IsNaN(single)) yield break;
        yield return new ClaimVerdict(
            "Averaging the predictions of SGDR's cycle-end models (a snapshot ensemble) beats its final model alone.",
            ensemble > single,
            $"Test accuracy (mean over {ensembles.Count} seed(s)): ensemble of all cycle-end snapshots {F(ensemble)}, " +
            $"final snapshot alone {F(single)}. The same ensemble minus the final model for the controls: cosine {Signed(Control("cosine"))}, " +
            $"step {Signed(Control("step"))}. Rule: the ensemble's mean accuracy is higher.");
    }

    /// <summary>The test accuracy of a cell's last snapshot alone, from its snapshot_ensemble.json.</summary>
    static double? FinalSnapshotAccuracy(CellRecord cell) =>
        cell.Ensemble?["snapshots"] is JsonArray s && s.Count > 0 ? CellRecord.Number(s[^1], "test_accuracy") : null;

    static string Signed(double v) => double.IsNaN(v) ? "n/a" : v.ToString("+0.0000;−0.0000", CultureInfo.InvariantCulture);

    public static IEnumerable<ClaimVerdict> EdgeOfStability(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries)
    {
        const double band = 0.15; // "near 2/η": within ±15 %
        var lines = new List<string>();
        bool all = true;
        foreach (double eta in Presets.EdgeOfStabilitySteps)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"eta{eta}");
            var runs = cells.Where(c => c.Variant == name && !c.Diverged).Select(c => c.Series("lambda_max").Values).Where(v => v.Length >= 8).ToList();
            if (runs.Count == 0) yield break;
            double threshold = 2 / eta;
            double first = runs.Average(v => v[0]);
            double late = runs.Average(v => v.Skip(v.Length * 3 / 4).Average());
            bool rose = first < threshold, hovers = Math.Abs(late / threshold - 1) <= band;
            all &= rose && hovers;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"η = {eta}: 2/η = {threshold:F1}, λ_max first {first:F1}, mean over the last quarter {late:F1} ({late / threshold:P0} of 2/η)"));
        }
        yield return new ClaimVerdict(
            "Under full-batch GD, λ_max rises to 2/η and then hovers there.",
            all,
            string.Join("; ", lines) + $". Rule: the first probe is below 2/η and the last quarter's mean is within ±{band:P0} of 2/η, for every η.");
    }

    /// <summary>The test accuracy logged at the evaluation closest to <paramref name="epoch"/>.</summary>
    static double? AccuracyAtEpoch(CellRecord cell, double epoch) => cell.Metrics
        .Select(r => (Epoch: CellRecord.Number(r, "epoch"), Accuracy: CellRecord.Number(r, "test_accuracy")))
        .Where(p => p.Epoch is not null && p.Accuracy is not null && Math.Abs(p.Epoch.Value - epoch) < 0.05)
        .Select(p => p.Accuracy).FirstOrDefault();
}
