using System.Globalization;
using System.Text.Json.Nodes;
using TrainKit.Cli;
using TrainKit.Sweeps.Store;
using TrainKit.Sweeps.Tuning;
using TrainKit.Training.Metrics;

namespace TrainKit.Sweeps.Tests.Tuning;

/// <summary>`trainkit tune`: seeded sampling, bad spaces refused by key, and a real tiny search whose best config re-runs
/// to the number the report gives.</summary>
public class TuneTests
{
    const string Base = """
        "base": {"model": {"name": "resnet20", "width": 0.25}, "batch_size": 16, "steps": 8, "log_every": 2, "eval_every": 2,
                 "checkpoint_every": 2, "data": {"eval_examples": 50}}
        """;

    static string Space(string schedules, string overrides = """{"optimizer.lr": {"type": "log_uniform", "min": 0.001, "max": 0.3}}""", string extra = "") =>
        "{\"name\": \"tiny-tune\", " + Base + ", \"schedules\": " + schedules + ", \"overrides\": " + overrides +
        ", \"metric\": \"train_eval_loss\", \"mode\": \"min\"" + extra + "}";

    const string TwoKinds = """
        [{"kind": "WarmupCosine", "params": {"warmup_steps": {"type": "int", "min": 0, "max": 3}, "min_lr_ratio": {"type": "uniform", "min": 0, "max": 0.2}}},
         {"kind": "CosineAnnealingWarmRestarts", "params": {"T_0": {"type": "int", "min": 2, "max": 6}, "T_mult": {"type": "choice", "values": [1, 2]}}}]
        """;

    static (int Code, string Output, string Error) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = TrainKitCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    static string Write(string json)
    {
        string dir = Directory.CreateTempSubdirectory("trainkit-tune-").FullName;
        string path = Path.Combine(dir, "space.json");
        File.WriteAllText(path, json);
        return path;
    }

    static string Trials(SearchSpace space, int n, long seed) =>
        string.Join("\n", space.Sample(n, seed).Variants.Select(v => v.Schedule!.ToJsonString() + v.Overrides!.ToJsonString()));

    [Fact]
    public void The_same_seed_draws_the_same_trials_and_every_draw_lies_in_its_range()
    {
        SearchSpace space = SearchSpace.Load(Write(Space(TwoKinds)));
        Assert.Equal(Trials(space, 20, 7), Trials(space, 20, 7));
        Assert.NotEqual(Trials(space, 20, 7), Trials(space, 20, 8));

        var variants = space.Sample(200, 1).Variants;
        Assert.Equal(200, variants.Select(v => v.Name).Distinct().Count());
        var kinds = variants.GroupBy(v => v.Schedule!["kind"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(["CosineAnnealingWarmRestarts", "WarmupCosine"], kinds.Keys.Order());
        Assert.All(kinds.Values, g => Assert.InRange(g.Count, 70, 130)); // uniform over the two kinds
        double[] lrs = [.. variants.Select(v => v.Overrides!["optimizer"]!["lr"]!.GetValue<double>())];
        Assert.All(lrs, lr => Assert.InRange(lr, 0.001, 0.3));
        // Log-uniform: about half the draws below the geometric midpoint sqrt(0.001 * 0.3).
        Assert.InRange(lrs.Count(lr => lr < Math.Sqrt(0.001 * 0.3)), 70, 130);
        foreach (var v in kinds["WarmupCosine"])
        {
            Assert.InRange(v.Schedule!["params"]!["warmup_steps"]!.GetValue<long>(), 0, 3);
            Assert.InRange(v.Schedule!["params"]!["min_lr_ratio"]!.GetValue<double>(), 0, 0.2);
        }
        var ints = kinds["CosineAnnealingWarmRestarts"].Select(v => v.Schedule!["params"]!["T_0"]!.GetValue<long>()).ToHashSet();
        Assert.Equal([2L, 3, 4, 5, 6], ints.Order()); // both ends of an int range are drawn
        Assert.All(kinds["CosineAnnealingWarmRestarts"], v => Assert.Contains(v.Schedule!["params"]!["T_mult"]!.GetValue<int>(), new[] { 1, 2 }));
    }

    [Theory]
    [InlineData("""[{"kind": "NoSuchLR"}]""", null, "schedules[0].kind: unknown schedule 'NoSuchLR'")]
    [InlineData("""[{"kind": "WarmupCosine", "params": {"warmup_epochs": {"type": "int", "min": 0, "max": 3}}}]""", null, "schedules[0].params.warmup_epochs")]
    [InlineData("""[{"kind": "WarmupCosine", "params": {"warmup_steps": {"type": "int", "min": 5, "max": 3}}}]""", null, "schedules[0].params.warmup_steps: min 5 > max 3")]
    [InlineData("""[{"kind": "WarmupCosine"}]""", """{"optimizer.lr": {"type": "log_uniform", "min": 0, "max": 0.3}}""", "overrides.optimizer.lr: log_uniform needs min > 0")]
    [InlineData("""[{"kind": "WarmupCosine"}]""", """{"optimizer.lr": {"type": "normal", "min": 0, "max": 0.3}}""", "overrides.optimizer.lr: unknown distribution type 'normal'")]
    [InlineData("""[{"kind": "WarmupCosine"}]""", """{"optimizer.lr_typo": {"type": "uniform", "min": 0.1, "max": 0.3}}""", "lr_typo")]
    [InlineData("""[{"kind": "WarmupCosine"}]""", """{"optimizer.lr": {"type": "choice", "values": []}}""", "overrides.optimizer.lr: a choice needs a non-empty values list")]
    public void A_bad_space_is_an_exit_2_naming_the_key(string schedules, string? overrides, string named)
    {
        string path = Write(overrides is null ? Space(schedules) : Space(schedules, overrides));
        var (code, output, error) = Cli("tune", "--space", path, "--trials", "2", "--out", Path.Combine(Path.GetDirectoryName(path)!, "out"));
        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {output}{error}");
        Assert.Contains(named, error);
    }

    [Theory]
    [InlineData("test_accuracy", "metric 'test_accuracy'")]
    [InlineData("validation_accuracy", "needs a validation split, but trial t000__seed0")]
    public void A_ranking_metric_the_trials_cannot_use_is_an_exit_2(string metric, string named)
    {
        string path = Write(Space(TwoKinds).Replace("\"metric\": \"train_eval_loss\"", $"\"metric\": \"{metric}\""));
        var (code, output, error) = Cli("tune", "--space", path, "--trials", "2", "--out", Path.Combine(Path.GetDirectoryName(path)!, "out"));
        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {output}{error}");
        Assert.Contains(named, error);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_tiny_search_with_asha_ranks_its_trials_marks_pruned_ones_and_its_best_config_reruns_to_the_reported_metric()
    {
        string asha = """, "asha": {"metric": "train_eval_loss", "mode": "min", "min_resource": 2, "reduction_factor": 2, "max_resource": 8, "unit": "steps"}""";
        string path = Write(Space(TwoKinds, extra: asha));
        string dir = Path.GetDirectoryName(path)!;
        string sweep = Path.Combine(dir, "sweep");
        var (code, output, error) = Cli("tune", "--space", path, "--trials", "6", "--seed", "3", "--out", sweep, "--workers", "1");
        Assert.True(code == 0, output + error);

        TrialStore store = TrialStores.Open("sqlite:" + Path.Combine(sweep, "trials.db"));
        var trials = store.Trials("tiny-tune");
        Assert.Equal(6, trials.Count);
        int pruned = trials.Count(t => t.State == TrialState.Pruned);
        Assert.True(pruned > 0, "ASHA pruned nothing in this search");

        string report = Path.Combine(sweep, TuneReport.Folder);
        var rows = File.ReadAllLines(Path.Combine(report, "trials.csv"));
        Assert.Equal(7, rows.Length);
        string[] header = rows[0].Split(',');
        int metricColumn = Array.IndexOf(header, "train_eval_loss"), stateColumn = Array.IndexOf(header, "state");
        var ranked = rows.Skip(1).Select(r => r.Split(',')).ToList();
        Assert.Equal(Enumerable.Range(1, 6).Select(i => i.ToString(CultureInfo.InvariantCulture)), ranked.Select(r => r[0]));
        Assert.Equal(pruned, ranked.Count(r => r[stateColumn] == "pruned"));
        var done = ranked.TakeWhile(r => r[stateColumn] == "done").Select(r => double.Parse(r[metricColumn], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(6 - pruned, done.Count); // finished trials first ...
        Assert.Equal(done.Order(), done);      // ... best (lowest loss) first
        Assert.Equal(pruned, File.ReadAllText(Path.Combine(report, "trials.md")).Split("**pruned**").Length - 1);
        // Pruned trials keep their rung metrics in the rung chart, linked from trials.md.
        Assert.True(new FileInfo(Path.Combine(report, "rungs.png")).Length > 1000);
        Assert.Contains("![rungs](rungs.png)", File.ReadAllText(Path.Combine(report, "trials.md")));
        foreach (string key in new[] { "optimizer_lr" })
            Assert.True(new FileInfo(Path.Combine(report, $"param_{key}.png")).Length > 1000);
        Assert.Contains("var scheduler = ScheduleFactory.CreateScheduler(spec, optimizer);", File.ReadAllText(Path.Combine(report, "best_schedule.cs")));

        // The best config re-runs, as a plain `train`, to the metric the report ranked it by. Both run in this process
        // (--workers 1 trains in-process) so they share a thread count, which sets the float reduction order.
        string rerun = Path.Combine(dir, "rerun");
        var (trainCode, trainOutput, trainError) = Cli("train", "--config", Path.Combine(report, "best_run.json"), "--out", rerun);
        Assert.True(trainCode == 0, trainOutput + trainError);
        double again = MetricsLog.Read(rerun).Last(r => r["train_eval_loss"] is not null)["train_eval_loss"]!.GetValue<double>();
        Assert.Equal(done[0], again, 5); // trials.csv keeps 6 decimals
        var best = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "best_run.json")))!;
        Assert.Equal(3, best["seed"]!.GetValue<long>());
    }
}
