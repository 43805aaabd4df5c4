using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>
/// A copy of a model's floating-point state: parameters and buffers (BatchNorm running mean/variance), by name.
/// Interpolating two solutions must move the buffers too: in eval mode BatchNorm normalizes with them, and weights
/// paired with the other solution's statistics are a different function (α = 0 and 1 would not reproduce the losses).
/// Integer buffers (BatchNorm's num_batches_tracked) are kept from the first state. A state owns its tensors (they are
/// detached from dispose scopes): dispose it.
/// </summary>
public sealed class ModelState : IDisposable
{
    readonly Dictionary<string, Tensor> _entries;

    ModelState(Dictionary<string, Tensor> entries) => _entries = entries;

    public IReadOnlyDictionary<string, Tensor> Entries => _entries;

    public static ModelState Capture(nn.Module module) =>
        new(module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope()));

    /// <summary>(1 − α)·a + α·b for floating-point entries; other entries from <paramref name="a"/>.</summary>
    public static ModelState Interpolate(ModelState a, ModelState b, double alpha)
    {
        if (!a._entries.Keys.ToHashSet().SetEquals(b._entries.Keys))
            throw new ArgumentException("the two states come from different architectures (their entry names differ)");
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, ta) in a._entries)
        {
            var tb = b._entries[name];
            if (!ta.shape.SequenceEqual(tb.shape))
                throw new ArgumentException($"'{name}' has shape [{string.Join(", ", ta.shape)}] in one state and [{string.Join(", ", tb.shape)}] in the other");
            result[name] = (ta.is_floating_point() ? ta.mul(1 - alpha).add_(tb, alpha: alpha) : ta.clone()).DetachFromDisposeScope();
        }
        return new ModelState(result);
    }

    /// <summary>Copies this state into the module (same architecture).</summary>
    public void LoadInto(nn.Module module)
    {
        using var noGrad = no_grad();
        var target = module.state_dict();
        foreach (var (name, value) in _entries)
        {
            if (!target.TryGetValue(name, out var t)) throw new ArgumentException($"the module has no entry '{name}'");
            t.copy_(value);
        }
    }

    public void Dispose()
    {
        foreach (var t in _entries.Values) t.Dispose();
    }
}
