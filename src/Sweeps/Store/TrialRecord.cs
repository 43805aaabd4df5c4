namespace TrainKit.Sweeps.Store;

/// <summary>One trial (a sweep cell) as the store holds it. <see cref="Attempt"/> counts claims; together with
/// <see cref="Worker"/> it is the fencing token a worker must present to renew, complete or fail the trial, so a
/// worker whose lease expired cannot overwrite the outcome of the worker that re-claimed it. <see cref="Bracket"/> is
/// its Hyperband bracket (0 without brackets, and for every trial of a store older than schema version 3).</summary>
public sealed record TrialRecord(
    long Id, string Sweep, string Name, int Position, string Variant, long Seed, string ConfigJson,
    TrialState State, int Attempts, string? Worker, DateTimeOffset? LeaseExpires, string? Error, int Bracket = 0);

/// <summary>A trial a worker holds: the record as claimed and the lease it must renew.</summary>
public sealed record TrialLease(TrialRecord Trial, string Worker, int Attempt, DateTimeOffset Expires);

/// <summary>A trial to add to a sweep (its position orders claiming; its bracket is fixed when it is added).</summary>
public sealed record NewTrial(string Name, int Position, string Variant, long Seed, string ConfigJson, int Bracket = 0);

/// <summary>The metric a trial reported on reaching a rung (ASHA), and what the pruner decided. <see cref="Bracket"/> is
/// the trial's (stored with the trial, not the report: reading it back joins the two).</summary>
public sealed record RungReport(long TrialId, int Rung, double Resource, double Metric, string Decision, int Bracket = 0);

/// <summary>What a sweep row holds: the experiment (JSON) and the folder its cells write to.</summary>
public sealed record SweepRecord(string Name, string SpecJson, string OutDirectory);

/// <summary>How many trials of a sweep are in each state.</summary>
public sealed record TrialCounts(int Pending, int Running, int Done, int Failed, int Pruned)
{
    public int Total => Pending + Running + Done + Failed + Pruned;
    /// <summary>Nothing left to claim or wait for.</summary>
    public bool Finished => Pending == 0 && Running == 0;
}
