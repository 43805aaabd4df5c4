using System.Diagnostics;

namespace TrainKit.Sweeps.Store;

/// <summary>The store's overhead per trial: one claim plus one complete of a trivial trial, timed one after another on
/// a sweep of its own (named <c>bench-store-…</c>, left in the store), as a worker pays it between two trials.</summary>
public static class StoreBenchmark
{
    public sealed record Result(int Trials, double MedianMs, double P90Ms, double MaxMs);

    public static Result Run(TrialStore store, int trials)
    {
        if (trials < 1) throw new ArgumentException($"--trials must be at least 1, got {trials}");
        string sweep = "bench-store-" + Guid.NewGuid().ToString("N")[..8];
        store.AddSweep(new SweepRecord(sweep, "{}", Path.GetTempPath()),
            Enumerable.Range(0, trials).Select(i => new NewTrial($"t{i:0000}", i, "bench", 0, "{}")));
        var ms = new double[trials];
        for (int i = 0; i < trials; i++)
        {
            long start = Stopwatch.GetTimestamp();
            TrialLease lease = store.Claim(sweep, "bench", TimeSpan.FromMinutes(1), 3)
                ?? throw new InvalidOperationException($"{store.Describe}: trial {i} of the benchmark sweep could not be claimed");
            if (!store.Complete(lease)) throw new InvalidOperationException($"{store.Describe}: the benchmark lost its lease on {lease.Trial.Name}");
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        if (store.Counts(sweep).Done != trials) throw new InvalidOperationException($"{store.Describe}: not every benchmark trial is done");
        Array.Sort(ms);
        return new Result(trials, ms[trials / 2], ms[(int)Math.Min(trials - 1, Math.Ceiling(0.9 * trials) - 1)], ms[^1]);
    }
}
