using System.Globalization;
using System.Text.Json.Nodes;
using TrainKit.Training.Experiments;
using TrainKit.Training.Statistics;

namespace TrainKit.Training.Reports;

/// <summary>The rules that decide whether a claim preset reproduced its claim, on paired per-seed differences
/// (<see cref="PairedDifference"/>: 95 % t intervals) and, for train-or-stuck outcomes, on counts (Clopper–Pearson
/// intervals, Fisher's exact test), never on a mean of a bimodal outcome. Each verdict states its rule, its effect
/// with the CI and every per-seed value it used, so a reader can disagree with the rule and still use the numbers.</summary>
public static partial class Verdicts
{
    /// <summary>The verdict rule of a preset (<see cref="Presets"/>), or null for exploratory ones.</summary>
    public static Func<IReadOnlyList<CellRecord>, IReadOnlyList<VariantSummary>, IEnumerable<ClaimVerdict>>? For(string preset) => preset switch
    {
        "warmup-postln" => WarmupPostLn,
        "large-batch" => LargeBatch,
        "restarts" => Restarts,
        "edge-of-stability" => EdgeOfStability,
        "super-convergence" => SuperConvergence,
        "wsd" => WarmupStableDecay,
        "linear-decay" => LinearDecay,
        "warmup-sharpness" => WarmupSharpness,
        _ => null,
    };

    /// <summary>Fewer finished seeds per compared variant than this make a verdict inconclusive.</summary>
    public const int MinimumSeeds = 3;

    static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F4", CultureInfo.InvariantCulture);
    static string S(double v) => double.IsNaN(v) ? "n/a" : v.ToString("+0.0000;−0.0000;0.0000", CultureInfo.InvariantCulture);
    static string Ci(PairedDifference d) => $"{S(d.MeanDiff)} [{S(d.Ci.Low)}, {S(d.Ci.High)}] over {d.Pairs} seed pair(s)";
    static string Ci(Interval i) => string.Create(CultureInfo.InvariantCulture, $"[{i.Low:F3}, {i.High:F3}]");

    static double? Metric(CellRecord c, string key) => c.Diverged ? null : SummaryMeasure.Standard.First(m => m.Key == key).Read(c);

    static List<CellRecord> Of(IReadOnlyList<CellRecord> cells, string variant) => [.. cells.Where(c => c.Variant == variant).OrderBy(c => c.Seed)];

    static string PerSeed(IReadOnlyList<CellRecord> cells, string variant, Func<CellRecord, double?> read) =>
        $"{variant}: " + string.Join(", ", Of(cells, variant).Select(c => $"seed {c.Seed} {(c.Diverged ? "diverged" : read(c) is double v ? F(v) : "n/a")}"));

    /// <summary>The paired difference (a − b) of a per-cell value over the seeds both have.</summary>
    static PairedDifference Paired(IReadOnlyList<CellRecord> cells, string a, string b, Func<CellRecord, double?> read)
    {
        var bySeed = Of(cells, b).Where(c => read(c) is not null).ToDictionary(c => c.Seed, c => read(c)!.Value);
        var pairs = Of(cells, a).Where(c => read(c) is not null && bySeed.ContainsKey(c.Seed)).Select(c => (read(c)!.Value, bySeed[c.Seed])).ToList();
        return PairedDifference.Of([.. pairs.Select(p => p.Item1)], [.. pairs.Select(p => p.Item2)]);
    }

    /// <summary>Per seed, (a₁ − b₁) − (a₂ − b₂): how much a paired difference changes between two settings, over the
    /// seeds that have all four cells.</summary>
    static PairedDifference DifferenceOfDifferences(IReadOnlyList<CellRecord> cells, (string A, string B) first, (string A, string B) second, Func<CellRecord, double?> read)
    {
        Dictionary<long, double> Gaps((string A, string B) p)
        {
            var b = Of(cells, p.B).Where(c => read(c) is not null).ToDictionary(c => c.Seed, c => read(c)!.Value);
            return Of(cells, p.A).Where(c => read(c) is not null && b.ContainsKey(c.Seed)).ToDictionary(c => c.Seed, c => read(c)!.Value - b[c.Seed]);
        }
        var (one, two) = (Gaps(first), Gaps(second));
        return PairedDifference.OfDifferences([.. one.Keys.Where(two.ContainsKey).Order().Select(s => one[s] - two[s])]);
    }

    /// <summary>A claimed gain (the difference is oriented so that the claim says it is positive): reproduced when
    /// the CI lies above 0; not reproduced when its upper end is below +<paramref name="margin"/>, so no gain of that
    /// size is left; otherwise inconclusive.</summary>
    static VerdictOutcome Gain(PairedDifference d, double margin, int seeds) => seeds < MinimumSeeds || d.Pairs < MinimumSeeds ? VerdictOutcome.Inconclusive
        : d.Ci.Low > 0 ? VerdictOutcome.Reproduced : d.Ci.High < margin ? VerdictOutcome.NotReproduced : VerdictOutcome.Inconclusive;

    static string GainRule(double margin, string unit) =>
        $"Rule: reproduced when the CI lies above 0; not reproduced when its upper end is below +{margin.ToString(CultureInfo.InvariantCulture)} {unit} (no gain of that size is left); otherwise inconclusive.";

    /// <summary>A claimed non-inferiority: reproduced when the CI's lower end is at or above −<paramref name="margin"/>;
    /// not reproduced when the whole CI lies below −<paramref name="margin"/>; otherwise inconclusive.</summary>
    static VerdictOutcome NoWorse(PairedDifference d, double margin, int seeds) => seeds < MinimumSeeds || d.Pairs < MinimumSeeds ? VerdictOutcome.Inconclusive
        : d.Ci.Low >= -margin ? VerdictOutcome.Reproduced : d.Ci.High < -margin ? VerdictOutcome.NotReproduced : VerdictOutcome.Inconclusive;

    /// <summary>A claimed direction (the difference is oriented so that the claim says it is positive): reproduced
    /// when the CI lies above 0, not reproduced when it lies below 0, otherwise inconclusive.</summary>
    static VerdictOutcome Direction(PairedDifference d, int seeds) => seeds < MinimumSeeds || d.Pairs < MinimumSeeds ? VerdictOutcome.Inconclusive
        : d.Ci.Low > 0 ? VerdictOutcome.Reproduced : d.Ci.High < 0 ? VerdictOutcome.NotReproduced : VerdictOutcome.Inconclusive;

    const string DirectionRule = "Rule: reproduced when the CI lies above 0; not reproduced when it lies below 0; otherwise inconclusive.";

    /// <summary>A claim that must hold at every point (budget, batch size, cycle end): refuted by one point that
    /// refutes it, reproduced when every point reproduces it, otherwise inconclusive.</summary>
    static VerdictOutcome AtEveryPoint(IReadOnlyList<VerdictOutcome> outcomes) => outcomes.Contains(VerdictOutcome.NotReproduced) ? VerdictOutcome.NotReproduced
        : outcomes.Count > 0 && outcomes.All(o => o == VerdictOutcome.Reproduced) ? VerdictOutcome.Reproduced : VerdictOutcome.Inconclusive;

    /// <summary>A diverged cell scores the accuracy of a guess among Fashion-MNIST's 10 classes, so a schedule that
    /// diverges loses its pair instead of dropping out of it.</summary>
    const double ChanceAccuracy = 0.1;

    static double? AccuracyOrChance(CellRecord c) => c.Diverged ? ChanceAccuracy : Metric(c, "test_accuracy");

    static string TooFew(int seeds) => $"Only {seeds} seed(s) per variant; a verdict needs at least {MinimumSeeds}.";

    /// <summary>SGDR "ends no worse" than cosine when the final test-accuracy difference's CI lies inside ±this.</summary>
    public const double RestartsEquivalenceMargin = 0.005;

    public static IEnumerable<ClaimVerdict> Restarts(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries)
    {
        if (Of(cells, "sgdr").Count > 0 && Of(cells, "cosine").Count > 0)
        {
            int seeds = Math.Min(Of(cells, "sgdr").Count(c => !c.Diverged), Of(cells, "cosine").Count(c => !c.Diverged));
            // SGDR's model at an inner cycle end against a cosine run annealed to that budget (its final model).
            var anytime = Presets.RestartsCycleEnds.SkipLast(1)
                .Where(e => Of(cells, Presets.RestartsCosine(e)).Count > 0)
                .Select(e => (Epoch: e, Diff: Paired(cells, "sgdr", Presets.RestartsCosine(e), c => c.Diverged ? null
                    : c.Variant == "sgdr" ? CellsCsv.AccuracyAtEpoch(c, e) : Metric(c, "test_accuracy")))).ToList();
            if (anytime.Count > 0 && anytime.All(a => a.Diff.Pairs > 0))
            {
                string table = string.Join("; ", anytime.Select(a => $"epoch {a.Epoch}: SGDR − {Presets.RestartsCosine(a.Epoch)} {Ci(a.Diff)}"));
                // For contrast, the comparison the first design made: against the full cosine's mid-run model.
                string midRun = string.Join("; ", anytime.Select(a => $"epoch {a.Epoch}: {Ci(Paired(cells, "sgdr", "cosine", c => c.Diverged ? null : CellsCsv.AccuracyAtEpoch(c, a.Epoch)))}"));
                string perSeed = string.Join("; ", anytime.Select(a => $"epoch {a.Epoch}: " + PerSeed(cells, "sgdr", c => CellsCsv.AccuracyAtEpoch(c, a.Epoch)) + " / " +
                    PerSeed(cells, Presets.RestartsCosine(a.Epoch), c => Metric(c, "test_accuracy"))));
                var outcome = AtEveryPoint([.. anytime.Select(a => NoWorse(a.Diff, RestartsEquivalenceMargin, seeds))]);
                yield return new ClaimVerdict("SGDR's model at each cycle end is no worse than a cosine run annealed to that budget (anytime performance).", outcome,
                    (seeds < MinimumSeeds ? TooFew(seeds) + " " : "") + $"Paired test accuracy at SGDR's cycle ends against the budget-matched cosine: {table}. " +
                    $"For contrast, against the {Presets.RestartsCycleEnds[^1]}-epoch cosine's mid-run model at the same epoch: {midRun}. " +
                    "SGDR's first cycle and the 1-epoch cosine are the same run, so their difference is 0 exactly. " +
                    $"Rule: reproduced when at every cycle end the CI's lower end is at or above −{RestartsEquivalenceMargin:P1}; not reproduced when at any the whole CI lies below −{RestartsEquivalenceMargin:P1}; otherwise inconclusive.")
                { PerSeed = perSeed, Seeds = seeds };
            }
            double? Acc(CellRecord c) => Metric(c, "test_accuracy");
            var final = Paired(cells, "sgdr", "cosine", Acc);
            if (final.Pairs > 0)
            {
                var outcome = seeds < MinimumSeeds ? VerdictOutcome.Inconclusive
                    : final.Ci.Low >= -RestartsEquivalenceMargin && final.Ci.High <= RestartsEquivalenceMargin ? VerdictOutcome.Reproduced
                    : final.Ci.High < -RestartsEquivalenceMargin ? VerdictOutcome.NotReproduced : VerdictOutcome.Inconclusive;
                yield return new ClaimVerdict("SGDR ends no worse than a single cosine decay of the same budget.", outcome,
                    (seeds < MinimumSeeds ? TooFew(seeds) + " " : "") + $"Final test accuracy, SGDR − cosine: {Ci(final)}. " +
                    $"Rule: reproduced (equivalent) when the CI lies inside ±{RestartsEquivalenceMargin:P1}; not reproduced when it lies below −{RestartsEquivalenceMargin:P1}; otherwise inconclusive.")
                { PerSeed = PerSeed(cells, "sgdr", Acc) + "; " + PerSeed(cells, "cosine", Acc), Seeds = seeds };
            }
        }

        // Huang et al. 2017: the ensemble of all cycle-end snapshots against the last snapshot alone.
        var ensembles = cells.Where(c => c.Variant == "sgdr" && !c.Diverged && c.Ensemble is not null).OrderBy(c => c.Seed).ToList();
        if (ensembles.Count == 0) yield break;
        double? Ensemble(CellRecord c) => CellRecord.Number(c.Ensemble, "ensemble.test_accuracy");
        var gain = PairedDifference.Of([.. ensembles.Select(c => Ensemble(c) ?? double.NaN)], [.. ensembles.Select(c => FinalSnapshotAccuracy(c) ?? double.NaN)]);
        double earlier = ensembles.Average(EarlierSnapshotsAccuracy), last = ensembles.Average(c => FinalSnapshotAccuracy(c) ?? double.NaN);
        const double weakMembers = 0.05;
        string evidence = $"Test accuracy, ensemble of all cycle-end snapshots − final snapshot alone: {Ci(gain)}. " +
                          $"The earlier snapshots average {F(earlier)} against {F(last)} for the final one. " +
                          $"Rule: not testable when the earlier snapshots are more than {weakMembers:P0} below the final one (Huang et al.'s every cycle " +
                          "converged to a good model; cycles this short cannot); else reproduced when the CI lies above 0, not reproduced when below, otherwise inconclusive.";
        VerdictOutcome verdict = last - earlier > weakMembers ? VerdictOutcome.NotTestable
            : ensembles.Count < MinimumSeeds ? VerdictOutcome.Inconclusive
            : gain.Ci.Low > 0 ? VerdictOutcome.Reproduced : gain.Ci.High < 0 ? VerdictOutcome.NotReproduced : VerdictOutcome.Inconclusive;
        yield return new ClaimVerdict("Averaging the predictions of SGDR's cycle-end models (a snapshot ensemble) beats its final model alone.", verdict,
            (verdict == VerdictOutcome.NotTestable ? "Not testable at this budget: its early cycles are too short. " : "") + evidence)
        {
            PerSeed = "ensemble − final: " + string.Join(", ", ensembles.Select((c, i) => $"seed {c.Seed} {S(gain.Differences[i])}")),
            Seeds = ensembles.Count,
        };
    }

    /// <summary>The test accuracy of a cell's last snapshot alone, from its snapshot_ensemble.json.</summary>
    static double? FinalSnapshotAccuracy(CellRecord cell) =>
        cell.Ensemble?["snapshots"] is JsonArray s && s.Count > 0 ? CellRecord.Number(s[^1], "test_accuracy") : null;

    static double EarlierSnapshotsAccuracy(CellRecord cell) =>
        cell.Ensemble?["snapshots"] is JsonArray s && s.Count > 1 ? s.SkipLast(1).Select(x => CellRecord.Number(x, "test_accuracy") ?? double.NaN).Average() : double.NaN;

    /// <summary>"Well below 2/η" at the start: the first probe at most this fraction of 2/η, so the rise is progressive
    /// sharpening and not the initialization already sitting at the edge.</summary>
    public const double EdgeOfStabilityStartFraction = 0.75;

    public static IEnumerable<ClaimVerdict> EdgeOfStability(IReadOnlyList<CellRecord> cells, IReadOnlyList<VariantSummary> summaries)
    {
        const double band = 0.15; // "near 2/η": within ±15 %
        var runs = new List<EdgeRun>();
        foreach (double eta in Presets.EdgeOfStabilitySteps)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"eta{eta}");
            var ofEta = Of(cells, name).Where(c => !c.Diverged).Select(c => (Cell: c, S: c.Series("lambda_max"))).Where(r => r.S.Values.Length >= 8).ToList();
            if (ofEta.Count == 0) yield break;
            runs.AddRange(ofEta.Select(r => new EdgeRun(eta, r.Cell, r.S.Values, r.S.Steps)));
        }
        int seeds = runs.GroupBy(r => r.Eta).Min(g => g.Count());
        yield return SharpeningVerdict(runs, seeds, band);
        yield return LossAfterCrossingVerdict(runs, seeds, band);
    }

    /// <summary>One edge-of-stability run: its step size, its cell and its λ_max probes (values and their steps).</summary>
    sealed record EdgeRun(double Eta, CellRecord Cell, double[] Lambda, double[] LambdaSteps)
    {
        public long Seed => Cell.Seed;
        public double Edge => 2 / Eta;
        public double First => Lambda[0];
        public double LastQuarter => Lambda.Skip(Lambda.Length * 3 / 4).Average();
    }

    static VerdictOutcome CountOutcome(int held, int total, int seeds) => seeds < MinimumSeeds ? VerdictOutcome.Inconclusive
        : held == total ? VerdictOutcome.Reproduced : ClopperPearson.Of(held, total).High < 0.5 ? VerdictOutcome.NotReproduced : VerdictOutcome.Inconclusive;

    const string CountRule = "Rule: reproduced when every run does; not reproduced when the interval's upper end is below one half; otherwise inconclusive.";

    static ClaimVerdict SharpeningVerdict(List<EdgeRun> runs, int seeds, double band)
    {
        var perSeed = new List<string>();
        int held = 0;
        foreach (var run in runs)
        {
            double first = run.First, late = run.LastQuarter, threshold = run.Edge;
            bool ok = first <= EdgeOfStabilityStartFraction * threshold && Math.Abs(late / threshold - 1) <= band;
            held += ok ? 1 : 0;
            perSeed.Add(string.Create(CultureInfo.InvariantCulture, $"η {run.Eta} seed {run.Seed}: first {first:F1} ({first / threshold:P0}), last quarter {late:F1} ({late / threshold:P0}){(ok ? "" : " ✗")}"));
        }
        var lines = runs.GroupBy(r => r.Eta).Select(g => string.Create(CultureInfo.InvariantCulture,
            $"η = {g.Key}: 2/η = {2 / g.Key:F1}, λ_max first {g.Average(r => r.First):F1}, mean over the last quarter {g.Average(r => r.LastQuarter):F1}"));
        var rate = ClopperPearson.Of(held, runs.Count);
        return new ClaimVerdict("Under full-batch GD, λ_max rises to 2/η and then hovers there.", CountOutcome(held, runs.Count, seeds),
            (seeds < MinimumSeeds ? TooFew(seeds) + " " : "") + string.Join("; ", lines) +
            $". Runs whose first λ_max is at most {EdgeOfStabilityStartFraction:P0} of 2/η and whose last-quarter mean is within ±{band:P0} of it: {held} of {runs.Count} (95 % Clopper–Pearson {Ci(rate)}). " + CountRule)
        { PerSeed = string.Join("; ", perSeed), Seeds = seeds };
    }

    /// <summary>The claim's second half: once λ_max has reached the band below 2/η, the training loss keeps falling
    /// (last logged loss below the loss at the crossing) and does so non-monotonically (at least one logged rise after
    /// the crossing). The rises before the crossing are reported beside them: stable GD decreases the loss monotonically.</summary>
    static ClaimVerdict LossAfterCrossingVerdict(List<EdgeRun> runs, int seeds, double band)
    {
        var perSeed = new List<string>();
        int held = 0;
        foreach (var run in runs)
        {
            (double eta, long seed) = (run.Eta, run.Seed);
            int crossing = Array.FindIndex(run.Lambda, l => l >= (1 - band) * run.Edge);
            var (steps, loss) = run.Cell.Series("train_loss");
            if (crossing < 0 || loss.Length < 2)
            {
                perSeed.Add(string.Create(CultureInfo.InvariantCulture, $"η {eta} seed {seed}: λ_max never reached {1 - band:P0} of 2/η ✗"));
                continue;
            }
            double at = run.LambdaSteps[crossing];
            int from = Math.Max(0, Array.FindIndex(steps, s => s >= at));
            int Rises(int a, int b) => Enumerable.Range(a + 1, Math.Max(0, b - a)).Count(i => loss[i] > loss[i - 1]);
            int before = Rises(0, from), after = Rises(from, loss.Length - 1);
            bool ok = loss[^1] < loss[from] && after >= 1;
            held += ok ? 1 : 0;
            perSeed.Add(string.Create(CultureInfo.InvariantCulture,
                $"η {eta} seed {seed}: crossing at step {at:F0}, loss {loss[from]:F4} → {loss[^1]:F4}, logged rises {before} before / {after} after{(ok ? "" : " ✗")}"));
        }
        var rate = ClopperPearson.Of(held, runs.Count);
        return new ClaimVerdict("After λ_max reaches 2/η, the training loss keeps falling, non-monotonically.", CountOutcome(held, runs.Count, seeds),
            (seeds < MinimumSeeds ? TooFew(seeds) + " " : "") +
            $"Runs whose last logged training loss is below the loss where λ_max first entered ±{band:P0} of 2/η, with at least one logged rise after that step: " +
            $"{held} of {runs.Count} (95 % Clopper–Pearson {Ci(rate)}). " + CountRule)
        { PerSeed = string.Join("; ", perSeed), Seeds = seeds };
    }
}
