using TrainKit.Training.Data;

namespace TrainKit.Training.Tests.Data;

public class IdxImageFolderTests : TempFolderTest
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_a_synthesized_split_raw_or_gzip(bool gzip)
    {
        string folder = TempFolder();
        TestFiles.WriteIdxSplit(folder, "t10k", 12, gzip);
        using var data = IdxImageFolder.Load(folder, DatasetSplit.Test, KnownDatasets.Mnist);
        Assert.Equal(new long[] { 12, 1, 28, 28 }, data.Images.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Byte, data.Images.dtype);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, data.Labels.dtype);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)(i % 10)), data.Labels.data<long>().ToArray());
        Assert.Equal((byte)(5 + 3 + 7), data.Images[5, 0, 3, 7].item<byte>());
        Assert.Equal(KnownDatasets.Mnist.Stats, data.Stats);
    }

    [Fact]
    public async Task Reads_the_debian_fashion_mnist_package()
    {
        var options = new DataLocatorOptions
        {
            CacheRoot = TempFolder(),
            AllowDownload = false,
            GetEnvironmentVariable = _ => null,
        };
        var location = await DatasetLocator.LocateAsync(KnownDatasets.FashionMnist, DatasetSplit.Train, options);
        Assert.Equal(DataSourceKind.DebianPackage, location.Kind);
        using var train = ImageDatasets.Load("fashion-mnist", DatasetSplit.Train, options);
        using var test = ImageDatasets.Load("fashion-mnist", DatasetSplit.Test, options);
        Assert.Equal(new long[] { 60_000, 1, 28, 28 }, train.Images.shape);
        Assert.Equal(new long[] { 10_000, 1, 28, 28 }, test.Images.shape);
        Assert.Equal(new long[] { 10_000 }, test.Labels.shape);
        // Fashion-MNIST is balanced: 6,000 / 1,000 images per class.
        Assert.All(train.Labels.bincount(null).data<long>().ToArray(), n => Assert.Equal(6_000, n));
        Assert.All(test.Labels.bincount(null).data<long>().ToArray(), n => Assert.Equal(1_000, n));
        Assert.Equal("Ankle boot", train.ClassNames[9]);
    }

    [Fact]
    public void The_embedded_subset_is_the_default()
    {
        using var train = ImageDatasets.Load(null, DatasetSplit.Train);
        using var test = ImageDatasets.Load(KnownDatasets.EmbeddedName, DatasetSplit.Test);
        Assert.Equal(new long[] { 10_000, 1, 28, 28 }, train.Images.shape);
        Assert.Equal(new long[] { 2_000, 1, 28, 28 }, test.Images.shape);
        Assert.Equal(KnownDatasets.EmbeddedName, train.Name);
        // A data path without a dataset name is ambiguous, not silently the embedded subset.
        Assert.Throws<ArgumentException>(() => ImageDatasets.Load(null, DatasetSplit.Test, new DataLocatorOptions { ExplicitPath = "/tmp" }));
    }

    [Fact]
    public void Images_of_the_wrong_size_are_rejected_naming_the_file()
    {
        string folder = TempFolder();
        TestFiles.WriteIdxSplit(folder, "train", 3, gzip: false, size: 20);
        var ex = Assert.Throws<InvalidDataException>(() => IdxImageFolder.Load(folder, DatasetSplit.Train, KnownDatasets.FashionMnist));
        Assert.Contains("train-images-idx3-ubyte", ex.Message);
        Assert.Contains("[N, 28, 28]", ex.Message);
        Assert.Contains("[3, 20, 20]", ex.Message);
    }

    [Fact]
    public void A_label_outside_the_classes_is_rejected_naming_the_file_and_image()
    {
        string folder = TempFolder();
        var (images, _) = TestFiles.IdxPair(3);
        File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), TestFiles.Idx([3], [1, 10, 2]));
        var ex = Assert.Throws<InvalidDataException>(() => IdxImageFolder.Load(folder, DatasetSplit.Train, KnownDatasets.Mnist));
        Assert.Contains("train-labels-idx1-ubyte", ex.Message);
        Assert.Contains("label 10 of image 1", ex.Message);
    }

    [Fact]
    public void Label_and_image_counts_must_agree()
    {
        string folder = TempFolder();
        var (images, _) = TestFiles.IdxPair(3);
        File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), TestFiles.Idx([2], [1, 2]));
        Assert.Contains("2 labels for the 3 images", Assert.Throws<InvalidDataException>(() => IdxImageFolder.Load(folder, DatasetSplit.Train, KnownDatasets.Mnist)).Message);
    }

    [Fact]
    public void A_truncated_gzip_file_is_rejected_naming_the_file()
    {
        string folder = TempFolder();
        TestFiles.WriteIdxSplit(folder, "train", 50, gzip: true);
        string images = Path.Combine(folder, "train-images-idx3-ubyte.gz");
        byte[] bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxImageFolder.Load(folder, DatasetSplit.Train, KnownDatasets.Mnist));
        Assert.Contains(images, ex.Message);
    }

    [Fact]
    public void A_missing_file_is_a_FileNotFoundException()
    {
        string folder = TempFolder();
        Assert.Throws<FileNotFoundException>(() => IdxImageFolder.Load(folder, DatasetSplit.Train, KnownDatasets.Mnist));
    }
}
