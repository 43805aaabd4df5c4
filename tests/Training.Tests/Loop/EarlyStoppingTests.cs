using System.Text.Json.Nodes;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Metrics;

namespace TrainKit.Training.Tests.Loop;

public class EarlyStoppingTests
{
    static RunConfig Config(EarlyStoppingConfig stopping) => new()
    {
        Steps = 40,
        LogEvery = 1,
        EvalEvery = 5,
        CheckpointEvery = 10,
        Seed = 3,
        EarlyStopping = stopping,
        Data = new DataConfig { ValidationFraction = 0.1 },
        Optimizer = new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = 0.05, Momentum = 0.9, Nesterov = true, WeightDecay = 1e-4 },
    };

    static string RunDir() => Directory.CreateTempSubdirectory("trainkit-stop-").FullName;

    // The validation loss falls while training, so in max mode only the first evaluation counts as an improvement.
    static readonly EarlyStoppingConfig NeverImproves = new() { Metric = "validation_eval_loss", Mode = ImprovementDirection.Max, Patience = 2 };

    [Fact]
    public void The_run_stops_after_patience_evaluations_without_improvement_and_records_why()
    {
        string run = RunDir();
        TrainingSummary summary;
        using (var task = new SyntheticTask(seed: 3))
            summary = new Trainer(Config(NeverImproves), task, (o, t) => new LinearDecay(o, t), run).Run();
        var rows = MetricsLog.Read(run);
        Assert.Equal(15, rows[^1]["step"]!.GetValue<long>()); // evaluations at 5 (best), 10 and 15 (stale twice)
        Assert.Equal(15, summary.Steps);
        double bestLogged = rows.Single(r => r["step"]!.GetValue<long>() == 5)["validation_eval_loss"]!.GetValue<double>();
        Assert.Equal(new EarlyStop(15, "validation_eval_loss", bestLogged, 5, summary.EarlyStopping!.Reason), summary.EarlyStopping);

        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "summary.json")))!["early_stopping"]!;
        Assert.Equal(15, written["step"]!.GetValue<long>());
        Assert.Equal(5, written["best_step"]!.GetValue<long>());
        Assert.Equal(bestLogged, written["best_value"]!.GetValue<double>());
        Assert.Contains("did not improve", written["reason"]!.GetValue<string>());
        Assert.Equal(15, new TrainKit.Training.Checkpoints.CheckpointStore(run).Latest()!.Step); // the stop is checkpointed
    }

    [Fact]
    public void An_improving_metric_does_not_stop_the_run()
    {
        string run = RunDir();
        using var task = new SyntheticTask(seed: 3);
        var summary = new Trainer(Config(new EarlyStoppingConfig { Metric = "validation_eval_loss", Mode = ImprovementDirection.Min, Patience = 2 }), task,
            (o, t) => new LinearDecay(o, t), run).Run();
        Assert.Equal(40, summary.Steps);
        Assert.Null(summary.EarlyStopping);
        Assert.Equal(40, MetricsLog.Read(run).Count);
    }

    [Fact]
    public void A_resumed_run_stops_where_the_uninterrupted_one_did()
    {
        string straight = RunDir(), interrupted = RunDir();
        using (var task = new SyntheticTask(seed: 3))
            new Trainer(Config(NeverImproves), task, (o, t) => new LinearDecay(o, t), straight).Run();
        using (var task = new SyntheticTask(seed: 3))
        {
            var crashing = new Trainer(Config(NeverImproves), task, (o, t) => new LinearDecay(o, t), interrupted)
            {
                OnProgress = p => { if (p.Step == 12) throw new IOException("simulated crash"); },
            };
            Assert.Throws<IOException>(() => { crashing.Run(); });
        }
        TrainingSummary resumed;
        using (var task = new SyntheticTask(seed: 3))
            resumed = new Trainer(Config(NeverImproves), task, (o, t) => new LinearDecay(o, t), interrupted).Run(resume: true);
        Assert.Equal(15, resumed.EarlyStopping!.Step);
        Assert.Equal(5, resumed.EarlyStopping.BestStep);
        double[] Losses(string run) => MetricsLog.Read(run).Select(r => r["train_loss"]!.GetValue<double>()).ToArray();
        Assert.Equal(Losses(straight), Losses(interrupted));
    }

    [Fact]
    public void Test_split_metrics_are_refused_as_leakage()
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(Config(new EarlyStoppingConfig { Metric = "test_accuracy", Mode = ImprovementDirection.Max })));
        Assert.Contains("early_stopping.metric 'test_accuracy' is a test-split metric", ex.Message);
        Assert.Contains("leakage", ex.Message);
    }

    [Fact]
    public void Bad_early_stopping_settings_name_the_key()
    {
        var noValidation = Config(NeverImproves) with { Data = new DataConfig() };
        Assert.Contains("needs a validation split", Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(noValidation)).Message);
        Assert.Contains("early_stopping.patience", Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(Config(NeverImproves with { Patience = 0 }))).Message);
        Assert.Contains("early_stopping.mode must be one of min, max; got 'up'",
            Assert.Throws<ArgumentException>(() => RunConfigJson.Parse("""{"early_stopping": {"mode": "up"}}""")).Message);
        Assert.Equal(4, RunConfigJson.Parse("""{"early_stopping": {"metric": "validation_accuracy", "patience": 4, "mode": "max"}}""").EarlyStopping!.Patience);
    }
}
