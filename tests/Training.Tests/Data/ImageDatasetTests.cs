using TrainKit.Training.Data;

namespace TrainKit.Training.Tests.Data;

public class ImageDatasetTests
{
    static ImageDataset Tiny(int count = 10) => ImageDataset.FromBytes(
        "tiny", "memory", Enumerable.Range(0, count * 4).Select(i => (byte)i).ToArray(),
        Enumerable.Range(0, count).Select(i => (byte)(i % 3)).ToArray(), 1, 2, 2, ["a", "b", "c"], new ChannelStats([0.5], [0.25]));

    [Fact]
    public void Sizes_that_do_not_add_up_are_rejected_before_any_tensor_exists()
    {
        var stats = new ChannelStats([0.5], [0.25]);
        Assert.Contains("need 12 pixel bytes", Assert.Throws<InvalidDataException>(() =>
            ImageDataset.FromBytes("x", "file.bin", new byte[11], [0, 0, 0], 1, 2, 2, ["a"], stats)).Message);
        Assert.Throws<ArgumentException>(() => ImageDataset.FromBytes("x", "file.bin", new byte[12], [0, 0, 0], 3, 2, 2, ["a"], stats));
        Assert.Contains("no images", Assert.Throws<InvalidDataException>(() =>
            ImageDataset.FromBytes("x", "file.bin", [], [], 1, 2, 2, ["a"], stats)).Message);
    }

    [Fact]
    public void Validation_split_is_disjoint_complete_and_reproducible()
    {
        using var data = Tiny(50);
        var (train, validation) = data.SplitValidation(10, seed: 3);
        var (train2, validation2) = data.SplitValidation(10, seed: 3);
        Assert.Equal(40, train.Count);
        Assert.Equal(10, validation.Count);
        // Pixel 0 of image i is 4i mod 256: recover the indices.
        long[] Ids(ImageDataset d) => d.Images[.., 0, 0, 0].to(TorchSharp.torch.ScalarType.Int64).data<long>().ToArray();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)(4 * i % 256)).Order(), Ids(train).Concat(Ids(validation)).Order());
        Assert.Equal(Ids(validation), Ids(validation2));
        Assert.Equal(Ids(train), Ids(train2));
        var (_, otherValidation) = data.SplitValidation(10, seed: 4);
        Assert.NotEqual(Ids(validation), Ids(otherValidation));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.SplitValidation(50, 0));
    }
}
