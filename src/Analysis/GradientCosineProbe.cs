using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>
/// Cosine similarity of successive minibatch gradients, cos(g_t, g_{t−1}), fed by the trainer after each backward
/// pass. Near 1: steps agree (a consistent descent direction); near 0 or negative: noise dominates or the iterate
/// bounces across a valley (as at the edge of stability).
/// <para>Everything stays where the gradients live: <see cref="Observe(IEnumerable{Parameter})"/> queues one flatten,
/// one dot product and two norms on the device and never waits for them, so a GPU loop that observes every step is not
/// synchronised by the probe. The host reads the results only in <see cref="Read"/> (and when the state is saved), at
/// the trainer's logging points. Memory: one float32 copy of the gradient (float32 because the gradients themselves
/// are float32); the dot and norms are taken in float64.</para>
/// </summary>
public sealed class GradientCosineProbe : IDisposable
{
    Tensor? _previous;  // the last gradient, float32, flat, on its device
    Tensor? _sum;       // float64 scalars on the same device: Σ cosines, their count, the latest (NaN before the first)
    Tensor? _count;
    Tensor? _last;

    /// <summary>Host reads of device values so far (a test hook: observing must not add any).</summary>
    public int HostReads { get; private set; }

    /// <summary>Queues the cosine of the parameters' current <c>.grad</c> (missing grads count as zero) with the
    /// previous gradient. A zero gradient on either side gives no cosine.</summary>
    public void Observe(IEnumerable<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        var parts = parameters.Where(p => p.requires_grad)
            .Select(p => p.grad is { } g ? g.detach().reshape(-1).to(ScalarType.Float32) : zeros(p.numel(), ScalarType.Float32, p.device))
            .ToArray();
        if (parts.Length == 0) throw new ArgumentException("no parameter requires a gradient");
        Observe(cat(parts));
    }

    /// <summary>Queues the cosine of one flattened gradient (any float dtype, 1-D) with the previous one.</summary>
    public void Observe(Tensor flatGradient)
    {
        if (flatGradient.dim() != 1) throw new ArgumentException("expected a flat (1-D) gradient");
        if (_previous is not null && _previous.shape[0] != flatGradient.shape[0])
            throw new ArgumentException($"gradient length changed from {_previous.shape[0]} to {flatGradient.shape[0]}");
        // Owned by this probe: detached from any dispose scope the trainer's step runs in.
        var current = flatGradient.detach().to(ScalarType.Float32).clone().DetachFromDisposeScope();
        if (_previous is not null)
        {
            if (_sum is null) Reset(current.device);
            using var scope = NewDisposeScope();
            var a = _previous.to(ScalarType.Float64);
            var b = current.to(ScalarType.Float64);
            var norms = a.norm() * b.norm();
            var valid = norms > 0;
            var cosine = where(valid, a.dot(b) / where(valid, norms, ones_like(norms)), zeros_like(norms));
            _sum!.add_(cosine);
            _count!.add_(valid.to(ScalarType.Float64));
            _last!.copy_(where(valid, cosine, _last));
        }
        _previous?.Dispose();
        _previous = current;
    }

    /// <summary>Reads the running totals (one host transfer): the number of cosines so far, their sum, the latest.</summary>
    public GradientCosineReading Read()
    {
        if (_sum is null) return new GradientCosineReading(0, 0, null);
        using var scope = NewDisposeScope();
        HostReads++;
        double[] values = stack([_count!, _sum, _last!]).cpu().data<double>().ToArray();
        return new GradientCosineReading((int)values[0], values[1], double.IsNaN(values[2]) ? null : values[2]);
    }

    void Reset(Device device)
    {
        _sum = zeros(Array.Empty<long>(), ScalarType.Float64, device).DetachFromDisposeScope();
        _count = zeros(Array.Empty<long>(), ScalarType.Float64, device).DetachFromDisposeScope();
        _last = full(Array.Empty<long>(), double.NaN, ScalarType.Float64, device).DetachFromDisposeScope();
    }

    /// <summary>The probe's state for a checkpoint (the previous gradient and the running totals), so a resumed run
    /// reports the same cosines as an uninterrupted one.</summary>
    public void Save(BinaryWriter writer)
    {
        var reading = Read();
        using (var scope = NewDisposeScope()) FlatVectors.Write(writer, _previous?.cpu());
        writer.Write(reading.Count);
        writer.Write(reading.Sum);
        writer.Write(reading.Last.HasValue);
        writer.Write(reading.Last ?? 0);
    }

    /// <summary>Restores <see cref="Save"/>'s state onto <paramref name="device"/> (where the model's gradients are).</summary>
    public void Load(BinaryReader reader, Device? device = null)
    {
        device ??= CPU;
        using var previous = FlatVectors.Read(reader, ScalarType.Float32);
        int count = reader.ReadInt32();
        double sum = reader.ReadDouble();
        bool hasLast = reader.ReadBoolean();
        double last = reader.ReadDouble();
        DisposeState();
        _previous = previous?.to(device).clone().DetachFromDisposeScope();
        Reset(device);
        _count!.fill_(count);
        _sum!.fill_(sum);
        _last!.fill_(hasLast ? last : double.NaN);
    }

    void DisposeState()
    {
        _previous?.Dispose();
        _sum?.Dispose();
        _count?.Dispose();
        _last?.Dispose();
        (_previous, _sum, _count, _last) = (null, null, null, null);
    }

    public void Dispose() => DisposeState();
}
