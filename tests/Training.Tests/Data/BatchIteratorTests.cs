using TrainKit.Training.Data;

namespace TrainKit.Training.Tests.Data;

public class BatchIteratorTests
{
    // Image i has label i (as many classes as images), so a batch's labels are its indices.
    static ImageDataset Indexed(int count) => ImageDataset.FromBytes(
        "indexed", "memory", new byte[count * 4], Enumerable.Range(0, count).Select(i => (byte)i).ToArray(),
        1, 2, 2, [.. Enumerable.Range(0, count).Select(i => $"c{i}")], new ChannelStats([0.5], [0.5]));

    static List<long[]> Labels(IEnumerable<ImageBatch> batches) =>
        batches.Select(b => { using (b) return b.Labels.data<long>().ToArray(); }).ToList();

    [Fact]
    public void Each_epoch_visits_every_image_once_in_an_order_fixed_by_seed_and_epoch()
    {
        using var data = Indexed(100);
        var iterator = new BatchIterator(data, 16, seed: 7);
        var epoch3 = Labels(iterator.Epoch(3)).SelectMany(l => l).ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), epoch3.Order());
        Assert.Equal(iterator.Order(3).Select(i => (long)i), epoch3);

        // A fresh iterator that never ran epochs 0..2 reproduces epoch 3; other epochs and seeds differ.
        var fresh = new BatchIterator(data, 16, seed: 7);
        Assert.Equal(epoch3, Labels(fresh.Epoch(3)).SelectMany(l => l));
        Assert.NotEqual(iterator.Order(3), iterator.Order(4));
        Assert.NotEqual(iterator.Order(3), new BatchIterator(data, 16, seed: 8).Order(3));
    }

    [Fact]
    public void Resuming_mid_epoch_yields_the_remaining_batches()
    {
        using var data = Indexed(50);
        var iterator = new BatchIterator(data, 8, seed: 1);
        var full = Labels(iterator.Epoch(2));
        var resumed = iterator.Epoch(2, startBatch: 4).ToList();
        Assert.Equal(4, resumed[0].Index);
        Assert.Equal(full.Skip(4), Labels(resumed));
    }

    [Fact]
    public void Drop_last_and_sequential_order()
    {
        using var data = Indexed(10);
        var keep = new BatchIterator(data, 4, seed: 0, shuffle: false);
        Assert.Equal(3, keep.BatchesPerEpoch);
        var batches = Labels(keep.Epoch(0));
        Assert.Equal(new long[] { 0, 1, 2, 3 }, batches[0]);
        Assert.Equal(new long[] { 8, 9 }, batches[2]);

        var drop = new BatchIterator(data, 4, seed: 0, dropLast: true);
        Assert.Equal(2, drop.BatchesPerEpoch);
        Assert.All(Labels(drop.Epoch(0)), b => Assert.Equal(4, b.Length));
        Assert.Throws<ArgumentException>(() => new BatchIterator(data, 11, seed: 0, dropLast: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => drop.Epoch(0, startBatch: 3));
    }

    [Fact]
    public void Batch_images_are_the_dataset_images_at_the_batch_indices()
    {
        using var data = ImageDataset.FromBytes("x", "memory", Enumerable.Range(0, 40).Select(i => (byte)i).ToArray(),
            Enumerable.Range(0, 10).Select(i => (byte)i).ToArray(), 1, 2, 2, [.. Enumerable.Range(0, 10).Select(i => $"c{i}")], new ChannelStats([0.5], [0.5]));
        foreach (var batch in new BatchIterator(data, 3, seed: 5).Epoch(0))
            using (batch)
            {
                long[] labels = batch.Labels.data<long>().ToArray();
                byte[] firstPixels = batch.Images[.., 0, 0, 0].data<byte>().ToArray();
                Assert.Equal(labels.Select(l => (byte)(4 * l)), firstPixels);
            }
    }
}
