using System.Text.Json.Nodes;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;

namespace TrainKit.Training.Tests.Reports;

public class ComparisonTableTests
{
    static CellRecord Cell(string variant, long seed, double testAccuracy, double testLoss) =>
        new($"{variant}__seed{seed}", variant, seed, "/nonexistent", [],
            new JsonObject { ["test"] = new JsonObject { ["loss"] = testLoss, ["accuracy"] = testAccuracy }, ["train"] = new JsonObject { ["loss"] = 0.1, ["accuracy"] = 0.99 } }, null);

    static ExperimentSpec Spec(string? baseline = null, Dictionary<string, double>? margins = null) => new()
    {
        Name = "t",
        Variants = [new("a"), new("b"), new("c")],
        Seeds = [0, 1, 2],
        Baseline = baseline,
        EquivalenceMargins = margins ?? [],
    };

    static readonly CellRecord[] Cells =
    [
        Cell("a", 0, 0.80, 0.50), Cell("a", 1, 0.70, 0.60), Cell("a", 2, 0.75, 0.55),
        Cell("b", 0, 0.801, 0.50), Cell("b", 1, 0.702, 0.60), Cell("b", 2, 0.749, 0.55),   // within a hair of a, seed by seed
        Cell("c", 0, 0.85, 0.40), Cell("c", 1, 0.76, 0.52), Cell("c", 2, 0.80, 0.47),      // +5, +6, +5 points: better
    ];

    [Fact]
    public void Per_variant_baselines_pair_each_variant_with_its_own_and_leave_out_the_rest()
    {
        var rows = ComparisonTable.Build(Spec(), Cells, new Dictionary<string, string> { ["a"] = "c" });
        Assert.All(rows, r => Assert.Equal(("a", "c"), (r.Variant, r.Baseline)));
        Assert.Equal(ComparisonOutcome.Worse, rows.Single(r => r.Metric == "test_accuracy").Outcome);
        string markdown = ComparisonTable.Markdown(rows);
        Assert.Contains("| a | c | test_accuracy | 3 |", ComparisonTable.Markdown([.. rows, .. ComparisonTable.Build(Spec(), Cells).Where(r => r.Variant == "b")]));
        Assert.Contains("with the baseline `c`", markdown);
    }

    [Fact]
    public void A_budget_presets_baselines_are_the_reference_schedule_of_the_same_budget()
    {
        var baselines = FinalMetricCurves.Baselines(FinalMetricCurves.For("wsd")!)!;
        Assert.Equal("cosine-2ep", baselines["wsd-2ep"]);
        Assert.Equal("cosine-4ep", baselines["wsd-4ep-cd10"]);
        Assert.False(baselines.ContainsKey("cosine-8ep"));
        Assert.Equal("1cycle-8ep", FinalMetricCurves.Baselines(FinalMetricCurves.For("super-convergence")!)!["cosine-lr0.2-8ep"]);
        Assert.Equal("linear0-3200", FinalMetricCurves.Baselines(FinalMetricCurves.For("linear-decay")!)!["cosine10-3200"]);
        Assert.Null(FinalMetricCurves.For("quick"));
    }

    [Fact]
    public void Rows_pair_by_seed_against_the_first_variant_and_follow_each_metrics_direction()
    {
        var rows = ComparisonTable.Build(Spec(), Cells);
        var c = rows.Single(r => r.Variant == "c" && r.Metric == "test_accuracy");
        Assert.Equal(("a", 3, ComparisonOutcome.Better), (c.Baseline, c.Difference.Pairs, c.Outcome));
        Assert.Equal(0.05333333333333, c.Difference.MeanDiff, 10);
        Assert.True(c.Difference.Ci.Low > 0);
        // Lower test loss is better, so a negative difference is "better" too.
        Assert.Equal(ComparisonOutcome.Better, rows.Single(r => r.Variant == "c" && r.Metric == "test_loss").Outcome);
        Assert.Equal(ComparisonOutcome.NoDetectableDifference, rows.Single(r => r.Variant == "b" && r.Metric == "test_accuracy").Outcome);
        // Identical losses: a zero-width interval and no detectable difference.
        var same = rows.Single(r => r.Variant == "b" && r.Metric == "test_loss");
        Assert.Equal((0.0, 0.0, ComparisonOutcome.NoDetectableDifference), (same.Difference.Ci.Low, same.Difference.Ci.High, same.Outcome));

        string[] csv = ComparisonTable.Csv(rows).TrimEnd().Split('\n');
        Assert.Equal("variant,baseline,metric,n_pairs,mean_diff,ci_low,ci_high,p_value,outcome", csv[0]);
        Assert.Equal(1 + 2 * ComparisonMetric.Standard.Count, csv.Length);
    }

    [Fact]
    public void Equivalent_needs_a_margin_and_a_ci_inside_it()
    {
        var rows = ComparisonTable.Build(Spec(margins: new() { ["test_accuracy"] = 0.01 }), Cells);
        Assert.Equal(ComparisonOutcome.Equivalent, rows.Single(r => r.Variant == "b" && r.Metric == "test_accuracy").Outcome);
        Assert.Equal(ComparisonOutcome.Better, rows.Single(r => r.Variant == "c" && r.Metric == "test_accuracy").Outcome);
        Assert.Equal(ComparisonOutcome.NoDetectableDifference, rows.Single(r => r.Variant == "b" && r.Metric == "test_loss").Outcome);
    }

    [Fact]
    public void A_named_baseline_is_used_and_bad_ones_or_bad_margins_are_clear_errors()
    {
        Assert.All(ComparisonTable.Build(Spec(baseline: "c"), Cells), r => Assert.Equal("c", r.Baseline));
        Assert.Equal(ComparisonOutcome.Worse, ComparisonTable.Build(Spec(baseline: "c"), Cells).Single(r => r.Variant == "a" && r.Metric == "test_accuracy").Outcome);
        Assert.Contains("baseline 'nope'", Assert.Throws<ArgumentException>(() => ComparisonTable.Build(Spec(baseline: "nope"), Cells)).Message);
        Assert.Contains("'test_acc'", Assert.Throws<ArgumentException>(() => ComparisonTable.Build(Spec(margins: new() { ["test_acc"] = 0.01 }), Cells)).Message);
        Assert.Contains("equivalence_margins.test_loss", Assert.Throws<ArgumentException>(() => ComparisonTable.Build(Spec(margins: new() { ["test_loss"] = -1 }), Cells)).Message);
    }

    [Fact]
    public void Baseline_and_margins_round_trip_through_an_experiment_file()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("trainkit-spec-").FullName, "e.json");
        File.WriteAllText(path, """{"name": "e", "variants": [{"name": "x"}, {"name": "y"}], "baseline": "y", "equivalence_margins": {"test_accuracy": 0.005}}""");
        var spec = Sweep.LoadSpec(path);
        Assert.Equal("y", spec.BaselineVariant());
        Assert.Equal(0.005, spec.EquivalenceMargins["test_accuracy"]);
    }

    /// <summary>The acceptance test: a real sweep (Fashion-MNIST subset, tanh MLP) of a baseline, an exact
    /// copy of it, and a variant whose lr is too small to learn anything, 3 seeds each.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void A_copy_shows_no_detectable_difference_and_a_variant_that_cannot_learn_is_worse()
    {
        var spec = new ExperimentSpec
        {
            Name = "copy-and-broken",
            Base = new RunConfig
            {
                Model = new TanhMlpModelConfig(),
                Data = new DataConfig { Source = ImageSource.Embedded, Subset = 1000, EvalExamples = 500, Augment = false },
                Optimizer = new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = 0.1, Momentum = 0.9, Nesterov = false, WeightDecay = 0 },
                BatchSize = 50,
                Steps = 60,
                LogEvery = 10,
                EvalEvery = 30,
                CheckpointEvery = 0,
            },
            Variants =
            [
                new("baseline"),
                new("copy"),
                new("cannot-learn", Overrides: new JsonObject { ["optimizer"] = new JsonObject { ["lr"] = 1e-9 } }),
            ],
            Seeds = [0, 1, 2],
            Analyze = false,
        };
        string outDir = Directory.CreateTempSubdirectory("trainkit-compare-").FullName;
        new Sweep(spec, outDir).Run(Shard.All, (cell, folder) => CellRunner.Run(spec, cell, folder));
        var report = ReportBuilder.Build(outDir);

        var rows = File.ReadAllLines(Path.Combine(report.Folder, ComparisonTable.FileName));
        Assert.Equal(ComparisonTable.Header, rows[0]);
        string[] Row(string variant, string metric) => rows.Single(r => r.StartsWith($"{variant},baseline,{metric},", StringComparison.Ordinal)).Split(',');
        var copy = Row("copy", "test_accuracy");
        Assert.Equal(("3", "0", "0", "no_detectable_difference"), (copy[3], copy[5], copy[6], copy[8]));
        var broken = Row("cannot-learn", "test_accuracy");
        Assert.Equal(("3", "worse"), (broken[3], broken[8]));
        Assert.True(double.Parse(broken[6], System.Globalization.CultureInfo.InvariantCulture) < 0, $"ci_high should be < 0: {string.Join(',', broken)}");
        Assert.Equal("worse", Row("cannot-learn", "test_loss")[8]);

        Assert.Contains("Paired comparison with the baseline `baseline`", File.ReadAllText(Path.Combine(report.Folder, "summary.md")));
        Assert.Contains("<table id=\"comparison\">", File.ReadAllText(report.Html));
        string[] cells = File.ReadAllLines(Path.Combine(report.Folder, CellsCsv.FileName));
        Assert.Equal(10, cells.Length);
        Assert.Contains("config_sha256", cells[0]);
        // The copy resolves to the same configuration as the baseline; the broken variant does not.
        string Hash(string cell) => cells.Single(l => l.StartsWith(cell + ",", StringComparison.Ordinal)).Split(',')[^1];
        Assert.Equal(Hash("baseline__seed0"), Hash("copy__seed0"));
        Assert.NotEqual(Hash("baseline__seed0"), Hash("cannot-learn__seed0"));
        Assert.Equal("1", cells.Single(l => l.StartsWith("cannot-learn__seed1,", StringComparison.Ordinal)).Split(',')[^4]); // no_progress
    }
}
