using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>How BatchNorm's running statistics are set at a point of a landscape or interpolation that was not trained.</summary>
public enum BatchNormMode
{
    /// <summary>Re-estimated at every point from the analysis batches (forward passes in train mode, cumulative
    /// average): the statistics the weights at that point would have. The default.</summary>
    Reestimate,
    /// <summary>Kept as they are (slices) or mixed linearly like the weights (interpolation): cheaper, but the statistics
    /// do not belong to the weights, which can invent a loss barrier (midpoint 0.4706 vs 0.4413 re-estimated).</summary>
    Fixed,
}

/// <summary>
/// Re-estimation of BatchNorm running statistics (as in SWA's bn_update and Garipov et al.'s mode-connectivity
/// curves): every BatchNorm is reset, its momentum set to "cumulative average", and the model run forward in train mode
/// without gradients on the given batches; momentum and per-module modes are restored. The weights are untouched.
/// </summary>
public static class BatchNormStatistics
{
    public static IReadOnlyList<NormBase> Layers(nn.Module model) =>
        ModuleModes.AllModules(model).OfType<NormBase>().Where(b => b.running_mean is not null).ToList();

    /// <summary>Re-estimates from the first <paramref name="maxBatches"/> batches; returns how many examples were used.</summary>
    public static long Reestimate(nn.Module<Tensor, Tensor> model, IReadOnlyList<AnalysisBatch> batches, int maxBatches)
    {
        var layers = Layers(model);
        if (layers.Count == 0) return 0;
        if (maxBatches < 1) throw new ArgumentException("re-estimating BatchNorm statistics needs at least one batch");
        var modes = ModuleModes.Capture(model);
        var momenta = layers.Select(l => l.momentum).ToArray();
        long examples = 0;
        try
        {
            foreach (var layer in layers) layer.reset_running_stats();
            model.train();
            using var noGrad = no_grad();
            int k = 0;
            foreach (var batch in batches.Take(maxBatches))
            {
                using var scope = NewDisposeScope();
                // Momentum 1/(k+1) at batch k makes the running value the plain mean of the batch statistics (what
                // PyTorch's momentum=None does); TorchSharp's null momentum is not a cumulative average.
                k++;
                foreach (var layer in layers) layer.momentum = 1.0 / k;
                model.call(batch.Input);
                examples += batch.Size;
            }
        }
        finally
        {
            for (int i = 0; i < layers.Count; i++) layers[i].momentum = momenta[i];
            modes.Restore();
        }
        return examples;
    }

    /// <summary>The label written into CSVs and plot titles.</summary>
    public static string Describe(nn.Module model, BatchNormMode mode, IReadOnlyList<AnalysisBatch> batches, int maxBatches, bool interpolation)
    {
        if (Layers(model).Count == 0) return "no BatchNorm";
        if (mode == BatchNormMode.Fixed) return interpolation ? "mixed linearly" : "fixed at the center";
        int used = Math.Min(maxBatches, batches.Count);
        return $"re-estimated ({used} batches, {batches.Take(used).Sum(b => b.Size)} examples)";
    }
}
