using TrainKit.Models;
using static TorchSharp.torch;

namespace TrainKit.Training.Export;

/// <summary>
/// A model's weights under the names PyTorch users expect (<see cref="PyTorchLayout"/>), out of the model and back
/// into it. Loading is strict, as PyTorch's <c>load_state_dict(strict=True)</c>: a missing key, an unexpected key or a
/// shape that differs is refused naming the key, before any weight changes.
/// </summary>
public static class PyTorchStateDict
{
    /// <summary>CPU copies of every parameter and buffer of <paramref name="model"/> under PyTorch names, in the model's
    /// state_dict order, then the tied copies (GPT's <c>lm_head.weight</c>). The caller disposes the tensors.</summary>
    public static Dictionary<string, Tensor> From(nn.Module model)
    {
        PyTorchLayout layout = PyTorchLayout.Of(model);
        var state = model.state_dict();
        var result = new Dictionary<string, Tensor>();
        using (no_grad())
        {
            foreach (var (ours, pytorch) in layout.Keys)
            {
                Tensor tensor = state[ours].detach().cpu().contiguous().clone();
                // PyTorch counts BatchNorm's batches in an int64 buffer; keep that dtype whatever ours holds.
                if (ours.EndsWith(".num_batches_tracked", StringComparison.Ordinal) && tensor.dtype != ScalarType.Int64)
                {
                    Tensor counted = tensor.to(ScalarType.Int64);
                    tensor.Dispose();
                    tensor = counted;
                }
                result[pytorch] = tensor;
            }
            foreach (var (copy, of) in layout.TiedCopies)
                result[copy] = result[of].clone();
        }
        return result;
    }

    /// <summary>Copies <paramref name="weights"/> (PyTorch names) into <paramref name="model"/>, strictly; every
    /// refusal names <paramref name="source"/> and the key (an <see cref="InvalidDataException"/>: bad input).</summary>
    public static void Load(nn.Module model, IReadOnlyDictionary<string, Tensor> weights, string source)
    {
        PyTorchLayout layout = PyTorchLayout.Of(model);
        var state = model.state_dict();
        var expected = layout.Keys.Select(k => k.PyTorch).Concat(layout.TiedCopies.Select(t => t.Copy)).ToList();
        var missing = expected.Where(k => !weights.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{source}: missing key '{missing[0]}'{More(missing)} (the model needs {expected.Count} keys)");
        var unexpected = weights.Keys.Except(expected, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException($"{source}: unexpected key '{unexpected[0]}'{More(unexpected)}: the model has no such weight");
        // Shapes are compared before anything is copied: copy_ would broadcast a [1] tensor over a whole matrix.
        foreach (var (ours, pytorch) in layout.Keys)
            CheckCompatible(source, pytorch, weights[pytorch], state[ours]);
        foreach (var (copy, of) in layout.TiedCopies)
        {
            CheckCompatible(source, copy, weights[copy], weights[of]);
            using var same = weights[copy].to(weights[of].dtype);
            using var equal = same.eq(weights[of]).all(); // Tensor.equal is elementwise in TorchSharp
            if (!equal.item<bool>())
                throw new InvalidDataException($"{source}: key '{copy}' differs from '{of}', but the model ties them (one tensor for both)");
        }
        using (no_grad())
            foreach (var (ours, pytorch) in layout.Keys)
                state[ours].copy_(weights[pytorch]);
    }

    static void CheckCompatible(string source, string key, Tensor given, Tensor needed)
    {
        if (!given.shape.SequenceEqual(needed.shape))
            throw new InvalidDataException($"{source}: key '{key}' has shape [{string.Join(", ", given.shape)}], the model needs [{string.Join(", ", needed.shape)}]");
        if (needed.is_floating_point() && !given.is_floating_point())
            throw new InvalidDataException($"{source}: key '{key}' holds {given.dtype}, the model needs floating-point weights");
    }

    static string More(IReadOnlyCollection<string> keys) => keys.Count > 1 ? $" and {keys.Count - 1} more" : "";
}
