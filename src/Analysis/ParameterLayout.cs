using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>
/// The one vector convention of the analysis suite: a vector in weight space is a <b>flat float64 CPU tensor</b>
/// of length <see cref="Count"/>, the trainable parameters concatenated in <c>model.parameters()</c> order.
/// Float64 keeps Lanczos' inner products and reorthogonalization accurate even for float32 models; this type
/// converts between that flat form and the per-parameter tensors the model holds.
/// </summary>
public sealed class ParameterLayout
{
    readonly Parameter[] _parameters;
    readonly long[] _offsets;

    public ParameterLayout(IEnumerable<Parameter> parameters)
    {
        _parameters = parameters.Where(p => p.requires_grad).ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("no trainable parameters");
        _offsets = new long[_parameters.Length + 1];
        for (int i = 0; i < _parameters.Length; i++) _offsets[i + 1] = _offsets[i] + _parameters[i].numel();
    }

    public IReadOnlyList<Parameter> Parameters => _parameters;
    /// <summary>Total number of trainable scalars: the dimension of the Hessian.</summary>
    public long Count => _offsets[^1];
    public long Offset(int parameter) => _offsets[parameter];

    /// <summary>Concatenates per-parameter tensors (same shapes as the parameters) into one flat float64 CPU vector.</summary>
    public Tensor Flatten(IReadOnlyList<Tensor> parts)
    {
        if (parts.Count != _parameters.Length)
            throw new ArgumentException($"expected {_parameters.Length} tensors, got {parts.Count}");
        using var scope = NewDisposeScope();
        var pieces = parts.Select(t => t.detach().reshape(-1).to(ScalarType.Float64, CPU)).ToArray();
        // With one float64 CPU parameter every step above is a view and cat hands its only input back, so the "copy"
        // would alias the weights (an in-place abs_ on it changed a quadratic's weights): clone that case.
        var flat = pieces.Length == 1 ? pieces[0].clone() : cat(pieces);
        return flat.MoveToOuterDisposeScope();
    }

    /// <summary>Per-parameter pieces of a flat vector, shaped and typed like the parameters and on their device.</summary>
    public Tensor[] Split(Tensor flat)
    {
        Require(flat);
        var parts = new Tensor[_parameters.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            var p = _parameters[i];
            parts[i] = flat[TensorIndex.Slice(_offsets[i], _offsets[i + 1])].reshape(p.shape).to(p.dtype, p.device);
        }
        return parts;
    }

    /// <summary>The current weights as a flat float64 vector (a copy).</summary>
    public Tensor Read() => Flatten(_parameters);

    /// <summary>Overwrites the parameters with a flat vector of weights.</summary>
    public void Write(Tensor weights)
    {
        Require(weights);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var parts = Split(weights);
        for (int i = 0; i < parts.Length; i++) _parameters[i].copy_(parts[i]);
    }

    /// <summary>Adds <paramref name="delta"/> to the weights until the returned handle is disposed, which restores
    /// the exact original values (kept as copies in the parameters' own dtype, so nothing is lost to rounding).</summary>
    public IDisposable Perturb(Tensor delta)
    {
        Require(delta);
        var saved = _parameters.Select(p => p.detach().clone()).ToArray();
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var parts = Split(delta);
            for (int i = 0; i < parts.Length; i++) _parameters[i].add_(parts[i]);
        }
        return new Restore(_parameters, saved);
    }

    /// <summary>Throws a managed error for a vector of the wrong shape (natives such as matmul abort the process instead).</summary>
    public void Require(Tensor flat)
    {
        if (flat.dim() != 1 || flat.shape[0] != Count)
            throw new ArgumentException($"expected a flat vector of {Count} weights, got shape [{string.Join(", ", flat.shape)}]");
    }

    sealed class Restore(Parameter[] parameters, Tensor[] saved) : IDisposable
    {
        bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            using (no_grad())
                for (int i = 0; i < parameters.Length; i++) parameters[i].copy_(saved[i]);
            foreach (var t in saved) t.Dispose();
        }
    }
}
