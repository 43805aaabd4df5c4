using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>
/// The diagonal block H_GG of an operator for a group G of whole parameter tensors (e.g. one layer's weight and
/// bias): v on the group's coordinates is embedded into a full-length vector with zeros elsewhere, multiplied, and
/// the group's coordinates of the product are returned. Its λ_max and trace are the per-layer figures; λ_max of a
/// block never exceeds the full λ_max (Cauchy interlacing), and the block traces sum to the full trace.
/// Each product costs one full Hessian-vector product of the inner operator.
/// </summary>
public sealed class ParameterBlockOperator : IHessianOperator
{
    readonly IHessianOperator _inner;
    readonly (long Start, long Length)[] _spans;

    /// <param name="parameters">Indices into <paramref name="layout"/>'s parameters, in any order, each at most once.</param>
    public ParameterBlockOperator(IHessianOperator inner, ParameterLayout layout, IReadOnlyList<int> parameters)
    {
        if (parameters.Count == 0) throw new ArgumentException("a parameter block needs at least one parameter");
        if (parameters.Distinct().Count() != parameters.Count) throw new ArgumentException("a parameter appears twice in the block");
        if (inner.Dimension != layout.Count) throw new ArgumentException($"operator dimension {inner.Dimension} differs from the layout's {layout.Count}");
        _inner = inner;
        _spans = parameters.Select(i =>
        {
            if (i < 0 || i >= layout.Parameters.Count) throw new ArgumentException($"parameter index {i} is outside 0..{layout.Parameters.Count - 1}");
            return (layout.Offset(i), layout.Offset(i + 1) - layout.Offset(i));
        }).ToArray();
        Dimension = _spans.Sum(s => s.Length);
    }

    public long Dimension { get; }
    public long HvpCount => _inner.HvpCount;

    public Tensor Multiply(Tensor v)
    {
        if (v.dim() != 1 || v.shape[0] != Dimension)
            throw new ArgumentException($"expected a flat vector of {Dimension} block weights, got shape [{string.Join(", ", v.shape)}]");
        using var scope = NewDisposeScope();
        var full = zeros(_inner.Dimension, ScalarType.Float64);
        long offset = 0;
        foreach (var (start, length) in _spans)
        {
            full.narrow(0, start, length).copy_(v.narrow(0, offset, length));
            offset += length;
        }
        var product = _inner.Multiply(full);
        return cat(_spans.Select(s => product.narrow(0, s.Start, s.Length)).ToArray()).MoveToOuterDisposeScope();
    }
}
