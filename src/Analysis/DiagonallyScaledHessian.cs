using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>D·H·D for a fixed diagonal D (a flat float64 vector): the operator whose eigenvalues are those of H in
/// rescaled coordinates. <see cref="FilterScaledHessian"/> takes D = filter norms; the preconditioned sharpness of an
/// Adam run takes D = P^(−1/2), since P^(−1/2)·H·P^(−1/2) has the eigenvalues of P⁻¹H and is symmetric.</summary>
public class DiagonallyScaledHessian : IHessianOperator, IDisposable
{
    readonly IHessianOperator _inner;
    readonly Tensor _scale;

    /// <param name="scale">D, owned (disposed) by this operator.</param>
    public DiagonallyScaledHessian(IHessianOperator inner, Tensor scale)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(scale);
        if (scale.numel() != inner.Dimension)
            throw new ArgumentException($"the scale has {scale.numel()} entries but the operator has dimension {inner.Dimension}", nameof(scale));
        _inner = inner;
        _scale = scale;
    }

    public long Dimension => _inner.Dimension;
    public long HvpCount => _inner.HvpCount;

    public Tensor Multiply(Tensor v)
    {
        using var scope = NewDisposeScope();
        return _inner.Multiply(v * _scale).mul_(_scale).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _scale.Dispose();
        GC.SuppressFinalize(this);
    }
}
