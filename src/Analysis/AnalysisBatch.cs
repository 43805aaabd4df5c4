using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>One fixed batch of the analysis set: inputs and targets exactly as the model and the loss take them.
/// Analysis batches are never augmented or reshuffled, so every estimate sees the same loss surface.</summary>
public sealed record AnalysisBatch(Tensor Input, Tensor Target)
{
    /// <summary>Number of examples (size of dimension 0); the weight of this batch in every average.</summary>
    public long Size => Input.shape.Length == 0 ? 1 : Input.shape[0];
}

/// <summary>A loss that maps (model output, target) to the scalar <b>mean</b> loss over the batch.
/// Batches are averaged with weights equal to their sizes, so the result is the mean over all analysis examples.</summary>
public delegate Tensor AnalysisLoss(Tensor output, Tensor target);

/// <summary>Builders for analysis batch sets.</summary>
public static class AnalysisBatches
{
    /// <summary>The first <paramref name="count"/> examples of (inputs, targets), cut into batches of
    /// <paramref name="batchSize"/>. Take a fixed subset (2-5k examples in real use) so runs are comparable.</summary>
    public static IReadOnlyList<AnalysisBatch> FirstExamples(Tensor inputs, Tensor targets, long count, long batchSize)
    {
        if (inputs.shape[0] != targets.shape[0])
            throw new ArgumentException($"inputs have {inputs.shape[0]} examples but targets have {targets.shape[0]}");
        if (count < 1 || batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(count), "count and batchSize must be positive");
        count = Math.Min(count, inputs.shape[0]);
        var batches = new List<AnalysisBatch>();
        for (long start = 0; start < count; start += batchSize)
        {
            long end = Math.Min(count, start + batchSize);
            batches.Add(new AnalysisBatch(inputs[TensorIndex.Slice(start, end)].clone(), targets[TensorIndex.Slice(start, end)].clone()));
        }
        return batches;
    }
}
