using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>Copies of a model's buffers (BatchNorm running mean/variance and batch counters), put back by
/// <see cref="Restore"/>: forward passes in train mode update them, and an analysis must leave the model as it was.</summary>
public sealed class BufferSnapshot : IDisposable
{
    readonly (Tensor Live, Tensor Copy)[] _entries;

    BufferSnapshot((Tensor, Tensor)[] entries) => _entries = entries;

    public static BufferSnapshot Capture(nn.Module model) =>
        new(model.buffers().Select(b => (b, b.detach().clone().DetachFromDisposeScope())).ToArray());

    public void Restore()
    {
        using var noGrad = no_grad();
        foreach (var (live, copy) in _entries) live.copy_(copy);
    }

    public void Dispose()
    {
        foreach (var (_, copy) in _entries) copy.Dispose();
    }
}
