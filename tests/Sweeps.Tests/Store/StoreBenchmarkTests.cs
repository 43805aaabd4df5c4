using TrainKit.Cli;
using TrainKit.Sweeps.Store;
using TrainKit.Sweeps.Tests.Support;

namespace TrainKit.Sweeps.Tests.Store;

/// <summary>`trainkit bench store` times real claims and completes: every benchmark trial ends done exactly once, on
/// SQLite and on PostgreSQL. (Timing thresholds are the README's measured numbers, not asserted on a shared machine.)</summary>
[Collection(PostgresCollection.Name)]
public class StoreBenchmarkTests(PostgresServer postgres)
{
    [Fact]
    public void The_benchmark_claims_and_completes_every_trial_once_on_both_stores()
    {
        string dir = Directory.CreateTempSubdirectory("trainkit-bench-store-test-").FullName;
        foreach (string url in new[] { "sqlite:" + Path.Combine(dir, "trials.db"), postgres.NewDatabaseUrl() })
        {
            TrialStore store = TrialStores.Open(url);
            var result = StoreBenchmark.Run(store, 25);
            Assert.Equal(25, result.Trials);
            Assert.True(0 < result.MedianMs && result.MedianMs <= result.P90Ms && result.P90Ms <= result.MaxMs, $"{result}");
            SweepRecord sweep = Assert.Single(store.Sweeps());
            Assert.StartsWith("bench-store-", sweep.Name);
            Assert.All(store.Trials(sweep.Name), t => { Assert.Equal(TrialState.Done, t.State); Assert.Equal(1, t.Attempts); });
        }
    }

    [Fact]
    public void The_cli_prints_the_median_and_refuses_a_bad_trial_count()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, TrainKitCli.Run(["bench", "store", "--trials", "10"], output, error));
        Assert.Matches(@"claim \+ complete over 10 trials: median [0-9.]+ ms", output.ToString());
        Assert.Equal(ExitCodes.BadInput, TrainKitCli.Run(["bench", "store", "--trials", "0"], new StringWriter(), error));
        Assert.Contains("--trials must be at least 1", error.ToString());
    }
}
