using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>
/// Cosine similarity of successive minibatch gradients, cos(g_t, g_{t−1}), fed by the trainer after each backward
/// pass. Near 1: steps agree (a consistent descent direction); near 0 or negative: noise dominates or the iterate
/// bounces across a valley (as at the edge of stability). Cost: one flatten and one dot product per step; memory: one
/// float32 copy of the gradient (float32 because the gradients themselves are float32; the dot is done in float64).
/// </summary>
public sealed class GradientCosineProbe : IDisposable
{
    Tensor? _previous;
    double _sum;

    /// <summary>Number of cosines computed so far (one fewer than the gradients observed).</summary>
    public int Count { get; private set; }
    public double? Last { get; private set; }
    public double? Mean => Count == 0 ? null : _sum / Count;

    /// <summary>Reads the parameters' current <c>.grad</c> (missing grads count as zero); returns the cosine with the
    /// previous gradient, or null for the first one or when either gradient is zero.</summary>
    public double? Observe(IEnumerable<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        var parts = parameters.Where(p => p.requires_grad)
            .Select(p => p.grad is { } g ? g.detach().reshape(-1).to(ScalarType.Float32, CPU) : zeros(p.numel(), ScalarType.Float32))
            .ToArray();
        return Observe(cat(parts));
    }

    /// <summary>Feeds one flattened gradient (any float dtype, 1-D); returns the cosine with the previous one.</summary>
    public double? Observe(Tensor flatGradient)
    {
        if (flatGradient.dim() != 1) throw new ArgumentException("expected a flat (1-D) gradient");
        // Owned by this probe: detached from any dispose scope the trainer's step runs in.
        var current = flatGradient.detach().to(ScalarType.Float32, CPU).clone().DetachFromDisposeScope();
        double? cosine = null;
        if (_previous is not null)
        {
            if (_previous.shape[0] != current.shape[0])
                throw new ArgumentException($"gradient length changed from {_previous.shape[0]} to {current.shape[0]}");
            using var scope = NewDisposeScope();
            var a = _previous.to(ScalarType.Float64);
            var b = current.to(ScalarType.Float64);
            double na = a.norm().item<double>(), nb = b.norm().item<double>();
            if (na > 0 && nb > 0) cosine = a.dot(b).item<double>() / (na * nb);
        }
        _previous?.Dispose();
        _previous = current;
        if (cosine is { } c) { Count++; _sum += c; Last = c; }
        return cosine;
    }

    /// <summary>The probe's state for a checkpoint (the previous gradient and the running sums), so a resumed run
    /// reports the same cosines as an uninterrupted one.</summary>
    public void Save(BinaryWriter writer)
    {
        FlatVectors.Write(writer, _previous);
        writer.Write(Count);
        writer.Write(_sum);
        writer.Write(Last.HasValue);
        writer.Write(Last ?? 0);
    }

    public void Load(BinaryReader reader)
    {
        var previous = FlatVectors.Read(reader, ScalarType.Float32);
        _previous?.Dispose();
        _previous = previous?.DetachFromDisposeScope();
        Count = reader.ReadInt32();
        _sum = reader.ReadDouble();
        bool hasLast = reader.ReadBoolean();
        double last = reader.ReadDouble();
        Last = hasLast ? last : null;
    }

    public void Dispose() => _previous?.Dispose();
}
