using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrainKit.Training.Loop;

/// <summary>
/// PyTorch's <c>clip_grad_norm_</c> without reading the norm to the host: the total 2-norm of all gradients is a
/// device scalar, and the gradients are scaled by <c>min(1, max_norm / (norm + 1e-6))</c> on the device (PyTorch
/// multiplies by the clamped coefficient the same way). TorchSharp's version returns a double, which waits for the
/// GPU on every step.
/// </summary>
static class GradientClipping
{
    /// <returns>The total gradient norm before clipping, on the device (the caller owns it).</returns>
    public static Tensor ClipOnDevice(IEnumerable<Parameter> parameters, double? maxNorm)
    {
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToArray();
        if (grads.Length == 0) return zeros(1, ScalarType.Float32);
        using var scope = NewDisposeScope();
        Tensor total = linalg.vector_norm(stack(grads.Select(g => linalg.vector_norm(g.detach(), 2)).ToArray()), 2);
        if (maxNorm is { } max)
        {
            using var noGrad = no_grad();
            Tensor coefficient = (max / (total + 1e-6)).clamp_max(1.0);
            foreach (Tensor g in grads) g.mul_(coefficient.to(g.dtype));
        }
        return total.DetachFromDisposeScope();
    }
}
