using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>
/// The Hessian in filter-normalized coordinates, D·H·D, where Dᵢ is the L2 norm of the filter (slice along dimension 0:
/// a conv output channel or a Linear row) that weight i belongs to, and 0 for one-dimensional parameters (biases,
/// BatchNorm scales/shifts), which Li et al. (2018) also leave out of filter-normalized directions.
/// <para>Why: a filter followed by BatchNorm is scale-invariant (Dinh et al. 2017): scaling it by c leaves the loss
/// unchanged but scales its Hessian block by 1/c², so raw λ_max can be made arbitrarily large or small without changing
/// the function. Under the same rescaling D scales by c and D·H·D is unchanged, so λ_max(D·H·D) — equivalently the
/// largest curvature along filter-normalized directions, vᵀHv with v = D·u, ‖u‖ = 1 — is a scale-aware sharpness.</para>
/// </summary>
public sealed class FilterScaledHessian(ModelHessian hessian) : DiagonallyScaledHessian(hessian, FilterNorms(hessian.Layout))
{
    /// <summary>Per-weight norm of its filter (0 for 1-D parameters), as a flat float64 vector.</summary>
    public static Tensor FilterNorms(ParameterLayout layout)
    {
        using var scope = NewDisposeScope();
        var parts = layout.Parameters.Select(p =>
        {
            var w = p.detach().to(ScalarType.Float64, CPU);
            if (w.dim() <= 1) return zeros_like(w);
            var rows = w.reshape(w.shape[0], -1);
            return rows.norm(1, keepdim: true).expand_as(rows).reshape(w.shape);
        }).ToArray();
        return layout.Flatten(parts).MoveToOuterDisposeScope();
    }
}
