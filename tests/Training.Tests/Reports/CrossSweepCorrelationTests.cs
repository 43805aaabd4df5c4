using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;
using TrainKit.Training.Tests.Data;
using TrainKit.Training.Statistics;
using static TrainKit.Training.Tests.Reports.HandMadeSweep;

namespace TrainKit.Training.Tests.Reports;

public sealed class CrossSweepCorrelationTests : TempFolderTest
{
    readonly string _root;

    public CrossSweepCorrelationTests() => _root = TempFolder("trainkit-corr-");

    static readonly VariantSpec[] Grid =
    [
        Variant("A", 0.1, 0), Variant("B", 0.2, 0), Variant("C", 0.1, 5e-4), Variant("D", 0.2, 5e-4),
        Variant("E", 0.4, 0), Variant("F", 0.4, 5e-4),
    ];

    // Configurations A–D (lr × weight decay), two seeds each: λ_max means 1, 2, 3, 4 (seeds ∓0.1), accuracy gaps
    // (train accuracy 1) means .10, .20, .15, .18 (seeds ∓.01). E and F hold the runs the protocol leaves out.
    static readonly Run[] Runs =
    [
        new("A", 0, 0.91, TrainLoss: 0.30, LambdaMax: 0.9), new("A", 1, 0.89, TrainLoss: 0.50, LambdaMax: 1.1),
        new("B", 0, 0.81, TrainLoss: 0.20, LambdaMax: 1.9), new("B", 1, 0.79, TrainLoss: 0.40, LambdaMax: 2.1),
        new("C", 0, 0.86, TrainLoss: 0.10, LambdaMax: 2.9), new("C", 1, 0.84, TrainLoss: 0.35, LambdaMax: 3.1),
        new("D", 0, 0.83, TrainLoss: 0.25, LambdaMax: 3.9), new("D", 1, 0.81, TrainLoss: 0.45, LambdaMax: 4.1),
        new("E", 0, 0.12, LambdaMax: 5), new("E", 1, 0.9, LambdaMax: 5, Diverged: true),
        new("F", 0, 0.85, TrainLoss: 0.9, LambdaMax: 9), new("F", 1, 0.85),
    ];

    CrossSweepCorrelation.Result Correlate(CorrelationOptions options, params string[] sweeps) =>
        CrossSweepCorrelation.Build(sweeps, options with { Resamples = 500 }, Path.Combine(_root, "out"));

    static JiangCorrelation.Row Row(CrossSweepCorrelation.Result result, string measure, string gap = "accuracy_gap") =>
        Assert.Single(result.Rows, r => r.Measure.Key == measure && r.Gap.Key == gap);

    [Fact]
    public void Leaves_out_runs_at_chance_diverged_above_the_stopping_loss_or_unanalysed_and_lists_them()
    {
        var result = Correlate(new CorrelationOptions { StopAtTrainLoss = 0.6 }, Write(_root, "grid", Grid, Runs));

        Assert.Equal(8, result.Selection.Runs.Count);
        var excluded = result.Selection.Excluded.ToDictionary(e => e.Cell, e => e.Reason);
        Assert.Equal(new Dictionary<string, Exclusion>
        {
            ["E__seed0"] = Exclusion.AtChance,
            ["E__seed1"] = Exclusion.Diverged,
            ["F__seed0"] = Exclusion.NeverReachedStop,
            ["F__seed1"] = Exclusion.NoAnalysis,
        }, excluded);
        string md = File.ReadAllText(result.Markdown);
        Assert.Contains("| grid | E__seed0 | stuck at chance | test accuracy 0.1200 ≤ chance 0.1 + 0.05 |", md);
        Assert.Contains("| grid | F__seed0 | never reached the stopping train loss | final train loss 0.9000 > 0.6 |", md);
        Assert.Contains("runs whose final train loss is above it are left out and counted as never reached", md);

        // Without the stopping criterion F__seed0 counts: a ninth run, a fifth configuration.
        var all = Correlate(new CorrelationOptions(), Path.Combine(_root, "grid"));
        Assert.Equal((9, 5), (Row(all, "lambda_max").Runs, Row(all, "lambda_max").Configurations));
    }

    [Fact]
    public void Tau_granulated_tau_and_partial_tau_follow_the_hand_counted_table()
    {
        var result = Correlate(new CorrelationOptions { StopAtTrainLoss = 0.6 }, Write(_root, "grid", Grid, Runs));
        var lambda = Row(result, "lambda_max");

        // Gaps in λ order: .09 .11 .19 .21 .14 .16 .17 .19: 20 concordant, 7 discordant, one pair tied in the gap only.
        Assert.Equal(13 / Math.Sqrt(28 * 27), lambda.Tau, 12);
        Assert.Equal((8, 4), (lambda.Runs, lambda.Configurations));
        Assert.InRange(lambda.TauCi.Low, -1, lambda.TauCi.High);
        Assert.InRange(lambda.TauCi.High, lambda.TauCi.Low, 1);

        // Axes: the keys A–D differ in. Per weight decay, lr raises λ and the gap in both pairs: ψ_lr = 1; per lr,
        // weight decay raises λ and the gap at lr 0.1 (.10 → .15) but lowers the gap at 0.2 (.20 → .18): ψ_wd = 0.
        Assert.Equal(["optimizer.lr", "optimizer.weight_decay"], result.Selection.Axes);
        Assert.Equal(1, lambda.Granulated!.PerAxis["optimizer.lr"], 12);
        Assert.Equal(0, lambda.Granulated.PerAxis["optimizer.weight_decay"], 12);
        Assert.Equal(0.5, lambda.Granulated.Psi, 12);

        double[] x = [0.9, 1.1, 1.9, 2.1, 2.9, 3.1, 3.9, 4.1];
        double[] gap = [.09, .11, .19, .21, .14, .16, .17, .19];
        double[] trainLoss = [.30, .50, .20, .40, .10, .35, .25, .45];
        double txy = KendallTau.TauB([.. x.Zip(gap)]), txz = KendallTau.TauB([.. x.Zip(trainLoss)]), tyz = KendallTau.TauB([.. gap.Zip(trainLoss)]);
        Assert.Equal((txy - txz * tyz) / Math.Sqrt((1 - txz * txz) * (1 - tyz * tyz)), lambda.PartialTau, 12);
        Assert.True(double.IsNaN(Row(result, "train_loss").PartialTau), "the train loss given itself has no partial τ");
        Assert.True(Row(result, "gradient_norm").Measure.Baseline);

        string[] csv = File.ReadAllLines(result.Csv);
        Assert.Equal(CrossSweepCorrelation.Header(result.Selection.Axes), csv[0]);
        Assert.Equal("gap,measure,baseline,runs,configurations,tau,tau_ci_low,tau_ci_high,partial_tau_given_train_loss,psi,psi[optimizer.lr],psi[optimizer.weight_decay]", csv[0]);
        Assert.Equal(1 + result.Rows.Count, csv.Length);
        Assert.Contains(csv, l => l.StartsWith("accuracy_gap,lambda_max,0,8,4,", StringComparison.Ordinal));
        Assert.Contains("| λ_max (Lanczos) | +0.473 [", File.ReadAllText(result.Markdown));
    }

    [Fact]
    public void Seeds_of_one_configuration_move_together_in_the_bootstrap()
    {
        // Two configurations, three seeds each, perfectly concordant across them and discordant within: every resample
        // holds one or both configurations whole, so τ can only be the full table's or a single configuration's.
        var variants = new[] { Variant("low", 0.1, 0), Variant("high", 0.2, 0) };
        var runs = new[]
        {
            new Run("low", 0, 0.95, LambdaMax: 1.2), new Run("low", 1, 0.94, LambdaMax: 1.1), new Run("low", 2, 0.93, LambdaMax: 1.0),
            new Run("high", 0, 0.75, LambdaMax: 2.2), new Run("high", 1, 0.74, LambdaMax: 2.1), new Run("high", 2, 0.73, LambdaMax: 2.0),
        };
        var row = Row(Correlate(new CorrelationOptions(), Write(_root, "two", variants, runs)), "lambda_max");
        double whole = KendallTau.TauB([(1.2, .05), (1.1, .06), (1.0, .07), (2.2, .25), (2.1, .26), (2.0, .27)]);
        double[] possible = [whole, -1];
        Assert.Contains(possible, p => Math.Abs(p - row.TauCi.Low) < 1e-12);
        Assert.Contains(possible, p => Math.Abs(p - row.TauCi.High) < 1e-12);
    }

    [Fact]
    public void Refuses_to_pool_different_analysis_budgets_or_subsets_unless_asked()
    {
        Run[] Three(long examples) => [.. Enumerable.Range(0, 3).Select(i => new Run($"v{i}", 0, 0.9 - i * 0.05, LambdaMax: i + 1, AnalysisExamples: examples))];
        VariantSpec[] variants = [Variant("v0", 0.1, 0), Variant("v1", 0.2, 0), Variant("v2", 0.3, 0)];
        string quick = Write(_root, "quick", variants, Three(256), budget: "quick");
        string sweep = Write(_root, "sweepbudget", variants, Three(256));
        string small = Write(_root, "small", variants, Three(64));

        var budget = Assert.Throws<ArgumentException>(() => Correlate(new CorrelationOptions(), quick, sweep));
        Assert.Contains("quick: budget quick, 256 analysis examples; sweepbudget: budget sweep, 256 analysis examples", budget.Message);
        Assert.Contains("--pool-budgets", budget.Message);
        var subset = Assert.Throws<ArgumentException>(() => Correlate(new CorrelationOptions(), sweep, small));
        Assert.Contains("small: budget sweep, 64 analysis examples", subset.Message);

        var pooled = Correlate(new CorrelationOptions { PoolBudgets = true }, quick, sweep, small);
        Assert.Equal(9, Row(pooled, "lambda_max").Runs);
        Assert.Contains("Analysis budgets pooled on request", File.ReadAllText(pooled.Markdown));
    }

    [Fact]
    public void Too_few_usable_runs_and_bad_options_are_clear_errors()
    {
        string small = Write(_root, "small", [Variant("a", 0.1, 0), Variant("b", 0.2, 0)],
            [new Run("a", 0, 0.9, LambdaMax: 1), new Run("b", 0, 0.8, LambdaMax: 2)]);
        var ex = Assert.Throws<InvalidOperationException>(() => Correlate(new CorrelationOptions(), small));
        Assert.Contains("fewer than 3 usable runs", ex.Message);
        Assert.Contains("--stop-at-train-loss", Assert.Throws<ArgumentException>(() => Correlate(new CorrelationOptions { StopAtTrainLoss = -1 }, small)).Message);
        Assert.Contains("given twice", Assert.Throws<ArgumentException>(() => Correlate(new CorrelationOptions(), small, small)).Message);
    }
}
