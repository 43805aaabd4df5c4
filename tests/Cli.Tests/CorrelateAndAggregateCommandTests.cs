using System.Globalization;
using System.Text.Json.Nodes;

namespace TrainKit.Cli.Tests;

/// <summary>`trainkit correlate` and `trainkit aggregate` on sweeps that `trainkit compare` really trained and analysed.</summary>
public sealed class CorrelateAndAggregateCommandTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("trainkit-correlate-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A tanh MLP on the bundled Fashion-MNIST subset, analysed with the sweep budget on a small subset.</summary>
    static string Experiment(string name, int steps, int analysisExamples, string seeds, params (string Name, double Lr, double Wd)[] variants) =>
        "{\"name\": \"" + name + "\", \"analyze\": true, \"analysis_budget\": \"sweep\", \"analysis_examples\": " + analysisExamples + ", " +
        "\"base\": {\"model\": {\"name\": \"mlp-tanh\"}, \"data\": {\"source\": \"embedded\", \"subset\": 400, \"eval_examples\": 300, \"augment\": false}, " +
        "\"optimizer\": {\"name\": \"sgd\", \"momentum\": 0.9, \"nesterov\": false}, \"batch_size\": 50, \"steps\": " + steps + ", " +
        "\"schedule\": {\"kind\": \"CosineAnnealingLR\"}, \"log_every\": 10, \"eval_every\": " + steps + ", \"checkpoint_every\": 0, \"device\": \"cpu\"}, " +
        "\"variants\": [" + string.Join(", ", variants.Select(v => string.Create(CultureInfo.InvariantCulture,
            $"{{\"name\": \"{v.Name}\", \"overrides\": {{\"optimizer\": {{\"lr\": {v.Lr:R}, \"weight_decay\": {v.Wd:R}}}}}}}"))) + "], " +
        "\"seeds\": [" + seeds + "]}";

    string Sweep(string name, string experiment)
    {
        string path = Path.Combine(_root, name + ".json"), sweep = Path.Combine(_root, name);
        File.WriteAllText(path, experiment);
        var (code, _, error) = CliHarness.Run("compare", "--experiment", path, "--out", sweep, "--no-report");
        Assert.True(code == ExitCodes.Success, error);
        return sweep;
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Correlates_analysed_sweeps_refuses_mixed_budgets_and_aggregates_shared_variants()
    {
        string grid = Sweep("grid", Experiment("grid", 30, 32, "0, 1", ("lr0.05", 0.05, 0), ("lr0.2", 0.2, 0), ("lr0.2-wd", 0.2, 0.005), ("stuck", 1e-9, 0)));
        string other = Sweep("other", Experiment("other", 20, 16, "0", ("lr0.05", 0.05, 0), ("lr0.1", 0.1, 0)));

        // Different analysis subsets (32 vs 16 examples) are not pooled unless asked.
        var (refused, _, why) = CliHarness.Run("correlate", grid, other, "--out", Path.Combine(_root, "refused"));
        Assert.Equal(ExitCodes.BadInput, refused);
        Assert.Contains("grid: budget sweep, 32 analysis examples; other: budget sweep, 16 analysis examples", why);

        string pooledOut = Path.Combine(_root, "pooled");
        var (pooled, console, error) = CliHarness.Run("correlate", grid, other, "--pool-budgets", "--chance-margin", "0.1", "--resamples", "500", "--out", pooledOut);
        Assert.True(pooled == ExitCodes.Success, error);
        Assert.Contains("filter-normalized λ_max", console);
        string md = File.ReadAllText(Path.Combine(pooledOut, "correlation.md"));
        Assert.Contains("| grid | stuck__seed0 | stuck at chance |", md);
        Assert.Contains("| grid | stuck__seed1 | stuck at chance |", md);
        Assert.Contains("Analysis budgets pooled on request", md);
        string[] csv = File.ReadAllLines(Path.Combine(pooledOut, "correlation.csv"));
        // 6 kept runs of grid and 2 of other; 3 + 2 configurations; axes: the learning rate, weight decay and run length differ.
        Assert.Equal("gap,measure,baseline,runs,configurations,tau,tau_ci_low,tau_ci_high,partial_tau_given_train_loss,psi," +
            "psi[optimizer.lr],psi[optimizer.weight_decay],psi[steps]", csv[0]);
        foreach (string measure in new[] { "train_loss", "gradient_norm", "lambda_max", "filter_normalized_lambda_max", "trace", "eps_sharpness", "pac_bayes_flatness" })
            Assert.Contains(csv, l => l.StartsWith($"accuracy_gap,{measure},", StringComparison.Ordinal) && l.Split(',')[3] == "8" && l.Split(',')[4] == "5");

        // The stopping criterion: a train loss that only some of grid's learning runs reach.
        double[] losses = [.. Directory.GetDirectories(Path.Combine(grid, "cells")).Where(c => !Path.GetFileName(c).StartsWith("stuck", StringComparison.Ordinal))
            .Select(c => JsonNode.Parse(File.ReadAllText(Path.Combine(c, "summary.json")))!["train"]!["loss"]!.GetValue<double>()).Order()];
        double stop = (losses[2] + losses[3]) / 2;
        string stoppedOut = Path.Combine(_root, "stopped");
        var (stopped, _, stopError) = CliHarness.Run("correlate", grid, "--stop-at-train-loss", stop.ToString("R", CultureInfo.InvariantCulture),
            "--chance-margin", "0.1", "--resamples", "500", "--out", stoppedOut);
        Assert.True(stopped == ExitCodes.Success, stopError);
        string stoppedMd = File.ReadAllText(Path.Combine(stoppedOut, "correlation.md"));
        Assert.Contains("(3 never reached the stopping train loss, 2 stuck at chance)", stoppedMd);

        string aggregateOut = Path.Combine(_root, "aggregate");
        var (aggregated, table, aggregateError) = CliHarness.Run("aggregate", grid, other, "--out", aggregateOut);
        Assert.True(aggregated == ExitCodes.Success, aggregateError);
        Assert.Contains("not aggregated (one sweep only)", table);
        string[] rows = File.ReadAllLines(Path.Combine(aggregateOut, "aggregate.csv"));
        Assert.Equal(2, rows.Length); // header and lr0.05: the only variant both sweeps ran
        Assert.All(rows.Skip(1), r => Assert.Equal("grid;other", r.Split(',')[1]));
        string aggregateMd = File.ReadAllText(Path.Combine(aggregateOut, "aggregate.md"));
        Assert.Contains("`lr0.1` (other)", aggregateMd);
        Assert.Contains("`lr0.2` (grid)", aggregateMd);
    }
}
