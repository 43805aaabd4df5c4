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
}
