using System.Collections.Concurrent;
using TrainKit.Sweeps.Store;
using TrainKit.Sweeps.Tests.Support;

namespace TrainKit.Sweeps.Tests.Store;

/// <summary>The store's contract, on a real SQLite file and a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name)]
public class TrialStoreTests(PostgresServer postgres)
{
    const int MaxAttempts = 3;
    static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    TrialStore NewStore(string kind) => kind switch
    {
        "sqlite" => TrialStores.Open("sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("trainkit-store-").FullName, "trials.db")),
        "postgresql" => TrialStores.Open(postgres.NewDatabaseUrl()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    static void AddSweep(TrialStore store, int trials, string name = "s")
    {
        store.AddSweep(new SweepRecord(name, "{\"name\":\"" + name + "\"}", "/tmp/unused"),
            Enumerable.Range(0, trials).Select(i => new NewTrial($"cell{i:D3}", i, "v", i, "{}")));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public void Concurrent_claimers_never_get_the_same_trial(string kind)
    {
        TrialStore store = NewStore(kind);
        AddSweep(store, 60);
        var claimed = new ConcurrentBag<(long Id, string Worker)>();
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(w => new Thread(() =>
        {
            start.SignalAndWait();
            while (store.Claim("s", $"w{w}", Lease, MaxAttempts) is { } lease) claimed.Add((lease.Trial.Id, lease.Worker));
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(60, claimed.Count);
        Assert.Equal(60, claimed.Select(c => c.Id).Distinct().Count());
        Assert.True(claimed.Select(c => c.Worker).Distinct().Count() > 1, "one thread claimed everything: the claims did not overlap");
        var trials = store.Trials("s");
        Assert.All(trials, t => Assert.Equal((TrialState.Running, 1), (t.State, t.Attempts)));
        Assert.All(trials, t => Assert.Equal(claimed.Single(c => c.Id == t.Id).Worker, t.Worker));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public void An_expired_lease_is_claimed_again_and_the_old_holder_is_fenced_off(string kind)
    {
        TrialStore store = NewStore(kind);
        AddSweep(store, 1);
        TrialLease first = store.Claim("s", "dead", TimeSpan.FromMilliseconds(300), MaxAttempts)!;
        Assert.Null(store.Claim("s", "other", Lease, MaxAttempts)); // held: nothing to claim
        Thread.Sleep(600);

        TrialLease second = store.Claim("s", "other", Lease, MaxAttempts)!;
        Assert.Equal(first.Trial.Id, second.Trial.Id);
        Assert.Equal(2, second.Attempt);
        Assert.False(store.Renew(first, Lease));
        Assert.False(store.Complete(first));
        Assert.True(store.Renew(second, Lease));
        Assert.True(store.Complete(second));
        TrialRecord done = store.Trials("s").Single();
        Assert.Equal((TrialState.Done, 2, "other"), (done.State, done.Attempts, done.Worker));
        Assert.True(store.Counts("s").Finished);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public void A_failing_trial_is_retried_a_bounded_number_of_times_then_failed_with_its_error(string kind)
    {
        TrialStore store = NewStore(kind);
        AddSweep(store, 2);
        for (int attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            TrialLease lease = store.Claim("s", "w", Lease, MaxAttempts)!;
            Assert.Equal(("cell000", attempt), (lease.Trial.Name, lease.Attempt));
            TrialState? next = store.Fail(lease, $"boom {attempt}", MaxAttempts);
            Assert.Equal(attempt < MaxAttempts ? TrialState.Pending : TrialState.Failed, next);
        }
        TrialRecord failed = store.Trials("s")[0];
        Assert.Equal((TrialState.Failed, MaxAttempts, "boom 3"), (failed.State, failed.Attempts, failed.Error));

        // A worker that dies on every attempt: the lease expires MaxAttempts times, then the trial is failed, not claimed.
        for (int attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            Assert.Equal("cell001", store.Claim("s", $"dies{attempt}", TimeSpan.FromMilliseconds(100), MaxAttempts)!.Trial.Name);
            Thread.Sleep(250);
        }
        Assert.Null(store.Claim("s", "w", Lease, MaxAttempts));
        TrialRecord abandoned = store.Trials("s")[1];
        Assert.Equal(TrialState.Failed, abandoned.State);
        Assert.Contains("lease expired on attempt 3 of 3 (worker dies3", abandoned.Error);
        Assert.Equal(new TrialCounts(0, 0, 0, 2, 0), store.Counts("s"));
    }

    string NewUrl(string kind) => kind == "sqlite"
        ? "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("trainkit-store-old-").FullName, "trials.db")
        : postgres.NewDatabaseUrl();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public void A_version_1_store_is_migrated_and_keeps_its_trials(string kind)
    {
        TrialStore store = NewStore(kind);
        // A store written by a TrainKit that knew only migration 1.
        string url = NewUrl(kind);
        TrialStore v1 = TrialStores.Parse(url);
        Assert.Equal(0, v1.Migrate(upTo: 1));
        Assert.Equal(1, v1.SchemaVersion());
        LegacyRows.AddSweep(url, "s", 2);
        Assert.ThrowsAny<System.Data.Common.DbException>(() => v1.Rungs("s")); // no rungs table yet

        Assert.Equal(1, v1.Migrate());
        Assert.Equal(StoreSchema.Version, v1.SchemaVersion());
        Assert.Equal(["cell000", "cell001"], v1.Trials("s").Select(t => t.Name));
        TrialLease lease = v1.Claim("s", "w", Lease, MaxAttempts)!;
        v1.ReportRung(new RungReport(lease.Trial.Id, 0, 1, 0.5, "promoted"));
        Assert.Equal(TrialState.Pending, v1.Fail(lease, "an error column exists now", MaxAttempts));
        Assert.Equal("an error column exists now", v1.Trials("s")[0].Error);
        Assert.Single(v1.Rungs("s"));
        Assert.Equal(StoreSchema.Version, store.Migrate()); // already current: nothing applied
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public void A_version_2_store_gets_bracket_0_and_new_trials_keep_the_bracket_they_were_added_with(string kind)
    {
        // A store written before Hyperband brackets: its trials and rung reports are plain ASHA, bracket 0.
        string url = NewUrl(kind);
        TrialStore store = TrialStores.Parse(url);
        Assert.Equal(0, store.Migrate(upTo: 2));
        LegacyRows.AddSweep(url, "old", 2);
        Assert.ThrowsAny<System.Data.Common.DbException>(() => store.Trials("old")); // no bracket column yet
        Assert.Equal(2, store.Migrate());
        Assert.Equal(3, store.SchemaVersion());
        Assert.All(store.Trials("old"), t => Assert.Equal(0, t.Bracket));
        TrialLease old = store.Claim("old", "w", Lease, MaxAttempts)!;
        store.ReportRung(new RungReport(old.Trial.Id, 0, 1, 0.5, "promoted"));
        Assert.Equal(0, store.Rungs("old").Single().Bracket);

        store.AddSweep(new SweepRecord("h", "{\"name\":\"h\"}", "/tmp/unused"),
            Enumerable.Range(0, 4).Select(i => new NewTrial($"cell{i:D3}", i, "v", i, "{}", Bracket: i % 3)));
        Assert.Equal([0, 1, 2, 0], store.Trials("h").Select(t => t.Bracket));
        for (int i = 0; i < 4; i++)
        {
            TrialLease lease = store.Claim("h", "w", Lease, MaxAttempts)!;
            Assert.Equal(i % 3, lease.Trial.Bracket); // the claimed record carries it to the worker's pruner
            store.ReportRung(new RungReport(lease.Trial.Id, 1, 3, i, "promoted"));
        }
        Assert.Equal([0, 1, 2, 0], store.Rungs("h").Select(r => r.Bracket));
        // Re-adding the sweep (a restarted tune) never moves a registered trial to another bracket.
        store.AddSweep(new SweepRecord("h", "{\"name\":\"h\"}", "/tmp/unused"),
            Enumerable.Range(0, 4).Select(i => new NewTrial($"cell{i:D3}", i, "v", i, "{}", Bracket: 2)));
        Assert.Equal([0, 1, 2, 0], store.Trials("h").Select(t => t.Bracket));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public void Adding_a_sweep_again_keeps_its_states_and_a_different_experiment_is_refused(string kind)
    {
        TrialStore store = NewStore(kind);
        AddSweep(store, 2);
        Assert.True(store.Complete(store.Claim("s", "w", Lease, MaxAttempts)!));
        AddSweep(store, 3); // a restarted compare with one more cell
        Assert.Equal(new TrialCounts(2, 0, 1, 0, 0), store.Counts("s"));
        var ex = Assert.Throws<ArgumentException>(() =>
            store.AddSweep(new SweepRecord("s", "{\"other\":1}", "/tmp"), []));
        Assert.Contains("already holds a different sweep named 's'", ex.Message);
        Assert.Equal("s", store.Sweep(null).Name);
        Assert.Contains("has no sweep 'nope'", Assert.Throws<ArgumentException>(() => store.Sweep("nope")).Message);
    }
}
