namespace TrainKit.Sweeps.Workers;

/// <summary>How a worker claims and holds trials.</summary>
/// <param name="Id">Unique per process (host, pid and a random suffix by default); recorded on every trial it claims.</param>
/// <param name="Lease">How long a claim stays valid without renewal: a worker killed mid-trial is replaced after this.</param>
/// <param name="MaxAttempts">Claims per trial before it is marked failed (a crash, or a lease that expired).</param>
/// <param name="Poll">How often an idle worker looks again while other workers still hold trials.</param>
/// <param name="OutDirectory">The sweep folder on this machine (default: the one recorded in the store, which
/// must then be a shared filesystem path for checkpoints to resume across machines).</param>
public sealed record WorkerOptions(string Id, TimeSpan Lease, int MaxAttempts, TimeSpan Poll, string? OutDirectory = null)
{
    public static string NewId() => $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    public static WorkerOptions Default(string? outDirectory = null) =>
        new(NewId(), TimeSpan.FromSeconds(60), 3, TimeSpan.FromSeconds(2), outDirectory);

    public WorkerOptions Validate()
    {
        if (Lease < TimeSpan.FromSeconds(1)) throw new ArgumentException($"--lease must be at least 1 second, got {Lease.TotalSeconds} s");
        if (MaxAttempts < 1) throw new ArgumentException($"--max-attempts must be at least 1, got {MaxAttempts}");
        return this;
    }
}
