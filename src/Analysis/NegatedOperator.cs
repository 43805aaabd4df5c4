using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>−H: Lanczos for the top of −H gives λ_min(H) = −λ_max(−H), with the same residual bounds.</summary>
public sealed class NegatedOperator(IHessianOperator inner) : IHessianOperator
{
    public long Dimension => inner.Dimension;
    public long HvpCount => inner.HvpCount;
    public Tensor Multiply(Tensor v) => inner.Multiply(v).neg_();
}
