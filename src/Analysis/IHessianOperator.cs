using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>A symmetric linear operator on flat float64 vectors: what the eigen, trace and density estimators need.
/// <see cref="ModelHessian"/> is the loss Hessian of a model; wrappers rescale it (see <see cref="FilterScaledHessian"/>).</summary>
public interface IHessianOperator
{
    long Dimension { get; }
    /// <summary>H·v for a flat float64 vector v of length <see cref="Dimension"/>; returns a new flat float64 vector.</summary>
    Tensor Multiply(Tensor v);
    /// <summary>How many products this operator has computed so far (the cost unit of every estimator).</summary>
    long HvpCount { get; }
}
