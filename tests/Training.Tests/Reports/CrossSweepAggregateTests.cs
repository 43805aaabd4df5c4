using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;
using TrainKit.Training.Tests.Data;
using static TrainKit.Training.Tests.Reports.HandMadeSweep;

namespace TrainKit.Training.Tests.Reports;

public sealed class CrossSweepAggregateTests : TempFolderTest
{
    readonly string _root;

    public CrossSweepAggregateTests() => _root = TempFolder("trainkit-aggregate-");

    static VariantSpec[] Variants(params string[] names) => [.. names.Select(n => new VariantSpec(n))];

    string[] ThreeTasks() =>
    [
        Write(_root, "t1", Variants("cos", "const", "step"),
            [new("cos", 0, 0.90), new("cos", 1, 0.80), new("const", 0, 0.70), new("const", 1, 0.60), new("const", 2, 0.10, Diverged: true),
             new("step", 0, 0.50), new("step", 1, 0.55)]),
        Write(_root, "t2", Variants("cos", "const", "sgdr"),
            [new("cos", 0, 0.50), new("cos", 1, 0.60), new("const", 0, 0.40), new("const", 1, 0.45), new("sgdr", 0, 0.42)]),
        Write(_root, "t3", Variants("cos", "const", "step"),
            [new("cos", 0, 0.30), new("cos", 1, 0.32), new("const", 0, 0.31), new("const", 1, 0.29), new("step", 0, 0.20), new("step", 1, 0.33)]),
    ];

    [Fact]
    public void Interquartile_mean_of_per_sweep_normalized_scores_with_missing_variants_reported()
    {
        var result = CrossSweepAggregate.Build(ThreeTasks(), "test_accuracy", Path.Combine(_root, "out"), resamples: 500);

        var cos = Assert.Single(result.Variants, v => v.Variant == "cos");
        // Normalized per sweep (min–max over its non-diverged runs): t1 [1, .75], t2 [.5, 1] (sgdr's .42 is in t2's range),
        // t3 [10/13, 12/13]; the IQM of six scores drops the lowest and the highest.
        Assert.Equal((0.75 + 10.0 / 13 + 12.0 / 13 + 1) / 4, cos.Iqm, 12);
        Assert.Equal(6, cos.Runs);
        Assert.True(cos.Ci.Contains(cos.Iqm), $"{cos.Ci} should cover {cos.Iqm}");
        Assert.Equal(["t1", "t2", "t3"], cos.Sweeps);

        var step = Assert.Single(result.Variants, v => v.Variant == "step");
        Assert.Equal(["t2"], step.MissingFrom);
        Assert.Equal(1, Assert.Single(result.Variants, v => v.Variant == "const").Diverged);
        Assert.Equal([("sgdr", "t2")], result.SingleSweep);
        Assert.Equal("cos", result.Variants[0].Variant); // best first

        // P(cos > const): 1 in t1, 1 in t2, 3 of 4 pairs in t3.
        Assert.Equal((1 + 1 + 0.75) / 3, Assert.Single(result.Improvements, i => i.Variant == "cos" && i.Other == "const").Probability, 12);
        Assert.Equal(2, Assert.Single(result.Improvements, i => i.Variant == "cos" && i.Other == "step").SharedSweeps);

        string[] csv = File.ReadAllLines(result.Csv);
        Assert.Equal(CrossSweepAggregate.CsvHeader, csv[0]);
        Assert.Contains(csv, l => l.StartsWith("step,t1;t3,t2,4,0,", StringComparison.Ordinal));
        string md = File.ReadAllText(result.Markdown);
        Assert.Contains("per-sweep min–max", md);
        Assert.Contains("Not aggregated (scored runs in one sweep only): `sgdr` (t2)", md);
        Assert.Contains("| step |", md);
    }

    [Fact]
    public void Normalization_puts_the_best_run_at_one_whichever_way_the_metric_improves()
    {
        Assert.Equal(1, CrossSweepAggregate.Normalize(0.9, 0.5, 0.9, higherIsBetter: true));
        Assert.Equal(1, CrossSweepAggregate.Normalize(0.5, 0.5, 0.9, higherIsBetter: false));
        Assert.Equal(0.25, CrossSweepAggregate.Normalize(0.8, 0.5, 0.9, higherIsBetter: false), 12);
        Assert.Equal(0.5, CrossSweepAggregate.Normalize(0.7, 0.7, 0.7, higherIsBetter: true));
    }

    [Fact]
    public void An_unknown_metric_or_a_single_sweep_is_a_clear_error()
    {
        var sweeps = ThreeTasks();
        Assert.Contains("test_accuracy, test_loss", Assert.Throws<ArgumentException>(() => CrossSweepAggregate.Build(sweeps, "nope", _root)).Message);
        Assert.Contains("at least two sweep folders", Assert.Throws<ArgumentException>(() => CrossSweepAggregate.Build(sweeps[..1], "test_accuracy", _root)).Message);
    }
}
