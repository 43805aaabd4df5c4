using System.Text.Json.Nodes;
using TrainKit.Training.Statistics;

namespace TrainKit.Training.Tests.Statistics;

/// <summary>Pins every statistic to reference.json, computed by tools/stats/reference.py with mpmath at 50 digits,
/// exact rational arithmetic and its own SplitMix64 (regenerate with the command in that script's docstring).</summary>
public class StatisticsReferenceTests
{
    static readonly JsonObject Reference = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Statistics", "reference.json")))!.AsObject();

    static IEnumerable<JsonObject> Cases(string key) => Reference[key]!.AsArray().Select(n => n!.AsObject());
    static double D(JsonNode? n) => n!.GetValue<double>();
    static double[] Doubles(JsonNode? n) => [.. n!.AsArray().Select(D)];

    [Fact]
    public void Student_t_quantiles_match_the_reference()
    {
        foreach (var c in Cases("t_quantile"))
            Assert.Equal(D(c["value"]), StudentT.Quantile(D(c["p"]), D(c["df"])), 1e-9);
        Assert.Equal(4.302652729749462, StudentT.Quantile(0.975, 2), 1e-9); // the textbook 4.303 for 3 seeds
    }

    [Fact]
    public void Paired_t_intervals_and_p_values_match_the_reference()
    {
        foreach (var c in Cases("paired_t"))
        {
            var r = PairedDifference.Of(Doubles(c["variant"]), Doubles(c["baseline"]));
            Assert.Equal(c["n"]!.GetValue<int>(), r.Pairs);
            Assert.Equal(D(c["mean_diff"]), r.MeanDiff, 1e-12);
            Assert.Equal(D(c["ci_low"]), r.Ci.Low, 1e-9);
            Assert.Equal(D(c["ci_high"]), r.Ci.High, 1e-9);
            Assert.Equal(D(c["p_value"]), r.PValue, 1e-9);
        }
    }

    [Fact]
    public void Identical_results_give_a_zero_width_interval_at_zero()
    {
        var r = PairedDifference.Of([0.8, 0.7, 0.9], [0.8, 0.7, 0.9]);
        Assert.Equal((0.0, 0.0, 1.0), (r.Ci.Low, r.Ci.High, r.PValue));
        Assert.False(r.Ci.ExcludesZero);
    }

    [Fact]
    public void Clopper_Pearson_intervals_match_the_reference()
    {
        foreach (var c in Cases("clopper_pearson"))
        {
            var ci = ClopperPearson.Of(c["k"]!.GetValue<int>(), c["n"]!.GetValue<int>());
            Assert.Equal(D(c["low"]), ci.Low, 1e-10);
            Assert.Equal(D(c["high"]), ci.High, 1e-10);
        }
        Assert.Equal(1 - Math.Pow(0.025, 1.0 / 3), ClopperPearson.Of(0, 3).High, 1e-12); // closed form for k = 0
    }

    [Fact]
    public void Fisher_exact_p_values_match_the_reference()
    {
        foreach (var c in Cases("fisher"))
        {
            int[] t = [.. c["table"]!.AsArray().Select(n => n!.GetValue<int>())];
            Assert.Equal(D(c["p"]), FisherExact.TwoSidedP(t[0], t[1], t[2], t[3]), 1e-12);
        }
    }

    [Fact]
    public void Kendall_tau_b_matches_the_reference_with_and_without_ties()
    {
        foreach (var c in Cases("kendall_tau_b"))
        {
            double[] x = Doubles(c["x"]), y = Doubles(c["y"]);
            Assert.Equal(D(c["tau"]), KendallTau.TauB([.. x.Zip(y)]), 1e-12);
        }
    }

    [Fact]
    public void Granulated_tau_matches_the_reference_per_axis_and_overall()
    {
        foreach (var c in Cases("granulated_tau"))
        {
            var points = c["points"]!.AsArray().Select(p => new GranulatedTau.Point(
                p!["axes"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()), D(p["x"]), D(p["y"]))).ToList();
            var r = GranulatedTau.Of(points);
            foreach (var (axis, value) in c["per_axis"]!.AsObject()) Assert.Equal(D(value), r.PerAxis[axis], 1e-12);
            Assert.Equal(D(c["psi"]), r.Psi, 1e-12);
        }
    }

    [Fact]
    public void Seeded_percentile_bootstrap_reproduces_the_reference_interval()
    {
        foreach (var c in Cases("bootstrap_mean"))
        {
            var ci = PercentileBootstrap.MeanInterval(Doubles(c["values"]), resamples: c["resamples"]!.GetValue<int>(), seed: c["seed"]!.GetValue<ulong>());
            Assert.Equal(D(c["low"]), ci.Low, 1e-12);
            Assert.Equal(D(c["high"]), ci.High, 1e-12);
        }
    }

    [Fact]
    public void Interquartile_mean_and_its_stratified_bootstrap_match_the_reference()
    {
        foreach (var c in Cases("iqm_stratified"))
        {
            var tasks = c["tasks"]!.AsArray().Select(t => (IReadOnlyList<double>)Doubles(t)).ToList();
            Assert.Equal(D(c["iqm"]), InterquartileMean.Of(tasks.SelectMany(t => t)), 1e-12);
            var ci = InterquartileMean.StratifiedBootstrap(tasks, resamples: c["resamples"]!.GetValue<int>(), seed: c["seed"]!.GetValue<ulong>());
            Assert.Equal(D(c["low"]), ci.Low, 1e-12);
            Assert.Equal(D(c["high"]), ci.High, 1e-12);
        }
    }

    [Fact]
    public void Partial_tau_matches_the_reference()
    {
        foreach (var c in Cases("partial_tau"))
        {
            double[] x = Doubles(c["x"]), y = Doubles(c["y"]), z = Doubles(c["z"]);
            Assert.Equal(D(c["tau_xy"]), KendallTau.TauB([.. x.Zip(y)]), 1e-12);
            Assert.Equal(D(c["partial"]), PartialKendallTau.Of([.. x.Zip(y, z)]), 1e-12);
        }
    }

    [Fact]
    public void Partial_tau_is_undefined_when_the_control_ranks_a_variable_perfectly()
    {
        Assert.True(double.IsNaN(PartialKendallTau.Of([(1, 3, 1), (2, 1, 2), (3, 2, 3)])));
    }

    [Fact]
    public void Kendall_tau_cluster_bootstrap_reproduces_the_reference_interval()
    {
        foreach (var c in Cases("tau_cluster_bootstrap"))
        {
            var clusters = c["clusters"]!.AsArray()
                .Select(cl => (IReadOnlyList<(double, double)>)[.. cl!.AsArray().Select(r => (D(r![0]), D(r[1])))]).ToList();
            Assert.Equal(D(c["tau"]), KendallTau.TauB([.. clusters.SelectMany(cl => cl)]), 1e-12);
            var ci = ClusterBootstrap.Interval(clusters, runs => KendallTau.TauB(runs), resamples: c["resamples"]!.GetValue<int>(), seed: c["seed"]!.GetValue<ulong>());
            Assert.Equal(D(c["low"]), ci.Low, 1e-12);
            Assert.Equal(D(c["high"]), ci.High, 1e-12);
        }
    }

    [Fact]
    public void Probability_of_improvement_matches_the_reference()
    {
        foreach (var c in Cases("probability_of_improvement"))
        {
            var tasks = c["tasks"]!.AsArray().Select(t => ((IReadOnlyList<double>)Doubles(t![0]), (IReadOnlyList<double>)Doubles(t[1]))).ToList();
            Assert.Equal(D(c["p"]), ProbabilityOfImprovement.Of(tasks), 1e-12);
        }
    }

    [Fact]
    public void The_stratified_bootstrap_keeps_every_task_at_its_size_and_is_fixed_by_its_seed()
    {
        // Every run of task A scores 0 and of task B 1: a resample that kept each task's size always holds four of
        // each, so its IQM is always 0.5; resampling the pooled runs instead would move it.
        IReadOnlyList<double>[] tasks = [[0, 0, 0, 0], [1, 1, 1, 1]];
        var ci = InterquartileMean.StratifiedBootstrap(tasks, resamples: 500, seed: 3);
        Assert.Equal((0.5, 0.5), (ci.Low, ci.High));
        Assert.NotEqual(0, PercentileBootstrap.Interval([0, 0, 0, 0, 1, 1, 1, 1], InterquartileMean.Of, resamples: 500, seed: 3).Width);

        IReadOnlyList<double>[] uneven = [[0.9, 0.8, 0.85, 0.1], [0.5, 0.55, 0.6], [0.7, 0.72, 0.71, 0.2, 0.69]];
        var first = InterquartileMean.StratifiedBootstrap(uneven, resamples: 800, seed: 11);
        Assert.Equal(first, InterquartileMean.StratifiedBootstrap(uneven, resamples: 800, seed: 11));
        Assert.NotEqual(first, InterquartileMean.StratifiedBootstrap(uneven, resamples: 800, seed: 12));
        Assert.True(first.Contains(InterquartileMean.Of(uneven.SelectMany(t => t))), $"{first} should cover the IQM");
    }
}
