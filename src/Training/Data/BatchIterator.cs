using TorchSharp;
using static TorchSharp.torch;

namespace TrainKit.Training.Data;

/// <summary>One batch: raw uint8 images [B, C, H, W] and int64 labels [B], on the dataset's device.</summary>
public sealed record ImageBatch(Tensor Images, Tensor Labels, int Epoch, int Index) : IDisposable
{
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}

/// <summary>Cuts an <see cref="ImageDataset"/> into batches. With shuffling, epoch e visits the images
/// in an order that depends only on (seed, e) (<see cref="SeededPermutation"/>), so a run resumed in
/// the middle of epoch e recreates the same order and skips to the batch where it stopped.</summary>
public sealed class BatchIterator
{
    readonly ImageDataset dataset;

    public int BatchSize { get; }
    public bool Shuffle { get; }
    public bool DropLast { get; }
    public long Seed { get; }

    public BatchIterator(ImageDataset dataset, int batchSize, long seed, bool shuffle = true, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be >= 1, got {batchSize}");
        if (dropLast && batchSize > dataset.Count)
            throw new ArgumentException($"batch size {batchSize} with drop-last leaves no batch from {dataset.Count} images of {dataset.Name}");
        this.dataset = dataset;
        BatchSize = batchSize;
        Seed = seed;
        Shuffle = shuffle;
        DropLast = dropLast;
    }

    public int BatchesPerEpoch => DropLast ? dataset.Count / BatchSize : (dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The image indices of epoch <paramref name="epoch"/>, in visiting order.</summary>
    public int[] Order(int epoch) =>
        Shuffle ? SeededPermutation.Create(dataset.Count, Seed, stream: epoch) : Enumerable.Range(0, dataset.Count).ToArray();

    /// <summary>The batches of one epoch, starting at batch <paramref name="startBatch"/> (for resuming).
    /// The caller owns (and should dispose) each batch.</summary>
    public IEnumerable<ImageBatch> Epoch(int epoch, int startBatch = 0)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), $"epoch must be >= 0, got {epoch}");
        if (startBatch < 0 || startBatch > BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(startBatch), $"start batch must be in 0..{BatchesPerEpoch}, got {startBatch}");
        return Iterate(epoch, startBatch);
    }

    IEnumerable<ImageBatch> Iterate(int epoch, int startBatch)
    {
        int[] order = Order(epoch);
        Device device = dataset.Images.device;
        for (int b = startBatch; b < BatchesPerEpoch; b++)
        {
            int start = b * BatchSize, count = Math.Min(BatchSize, order.Length - start);
            using var index = tensor(order.AsSpan(start, count).ToArray().Select(i => (long)i).ToArray(), ScalarType.Int64, device);
            yield return new ImageBatch(
                dataset.Images.index_select(0, index).DetachFromDisposeScope(),
                dataset.Labels.index_select(0, index).DetachFromDisposeScope(),
                epoch, b);
        }
    }
}
