using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>
/// Random directions for loss-landscape plots with filter normalization (Li et al. 2018, "Visualizing the loss
/// landscape of neural nets", §4): draw d ~ N(0, I) shaped like the weights, then for every filter (slice along
/// dimension 0 of a parameter with two or more dimensions: a conv output channel, a Linear row) rescale d's filter to
/// the norm of the weights' filter. One-dimensional parameters (biases, BatchNorm scale/shift) get a zero direction,
/// as in their code's <c>ignore='biasbn'</c> setting. This makes distances comparable across layers and networks whose
/// weights differ in scale.
/// </summary>
public static class FilterNormalizedDirections
{
    /// <summary>A filter-normalized direction for the current weights, as a flat float64 vector.</summary>
    public static Tensor Create(ParameterLayout layout, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        var parts = layout.Parameters.Select(p =>
        {
            var w = p.detach().to(ScalarType.Float64, CPU);
            if (w.dim() <= 1) return zeros_like(w);
            var d = randn(w.shape, ScalarType.Float64, CPU, generator: generator);
            var wRows = w.reshape(w.shape[0], -1);
            var dRows = d.reshape(d.shape[0], -1);
            return dRows.mul(wRows.norm(1, keepdim: true).div(dRows.norm(1, keepdim: true).add(1e-10))).reshape(w.shape);
        }).ToArray();
        return layout.Flatten(parts).MoveToOuterDisposeScope();
    }
}
