using static TorchSharp.torch;

namespace TrainKit.Training.Loop;

/// <summary>What one optimizer step leaves on the device: the summed micro-batch loss and the gradient norm before
/// clipping, as scalar tensors, read later with the rest of the interval.</summary>
readonly record struct DeviceStep(long Step, Tensor LossSum, Tensor GradNorm);

/// <summary>A step's values once read to the host: the mean micro-batch loss and the gradient norm.</summary>
readonly record struct StepReading(long Step, double Loss, double GradNorm);

/// <summary>
/// The steps since the last read, kept on the device so the loop never waits for the GPU between logging points
/// (nanoGPT reads its loss only when it logs). <see cref="Read"/> copies all of them, and any extra scalars, to the
/// host in one transfer: the only host synchronization of the loop between logging, evaluation and checkpoints.
/// </summary>
sealed class DeviceReadings : IDisposable
{
    readonly List<DeviceStep> _pending = [];

    /// <summary>How many times <see cref="Read"/> synchronized with the device (a test hook for "≤ 1 per interval").</summary>
    public int HostReads { get; private set; }

    public int Pending => _pending.Count;

    public void Add(DeviceStep step) => _pending.Add(step);

    /// <summary>Reads every pending step (oldest first) and the <paramref name="extra"/> scalars in one device-to-host
    /// copy, then frees the device tensors. <paramref name="microBatches"/> turns each loss sum into a mean.</summary>
    public (IReadOnlyList<StepReading> Steps, double[] Extra) Read(int microBatches, params Tensor[] extra)
    {
        using var scope = NewDisposeScope();
        var values = _pending.SelectMany(p => new[] { p.LossSum, p.GradNorm }).Concat(extra)
            .Select(t => t.detach().reshape(1).to(ScalarType.Float64)).ToArray();
        double[] host = values.Length == 0 ? [] : cat(values).cpu().data<double>().ToArray();
        HostReads++;
        var steps = _pending.Select((p, i) => new StepReading(p.Step, host[2 * i] / microBatches, host[2 * i + 1])).ToList();
        double[] rest = host[(2 * _pending.Count)..];
        Clear();
        return (steps, rest);
    }

    /// <summary>Drops the pending steps unread (after a rollback restores an earlier checkpoint).</summary>
    public void Clear()
    {
        foreach (var p in _pending) { p.LossSum.Dispose(); p.GradNorm.Dispose(); }
        _pending.Clear();
    }

    public void Dispose() => Clear();
}
