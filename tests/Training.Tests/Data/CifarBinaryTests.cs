using TrainKit.Training.Data;

namespace TrainKit.Training.Tests.Data;

public class CifarBinaryTests : TempFolderTest
{
    [Fact]
    public void Reads_synthesized_cifar10_batches_in_chw_order()
    {
        string root = TempFolder();
        string folder = Path.Combine(root, "cifar-10-batches-bin");
        TestFiles.WriteCifar10(folder, perBatch: 4);
        using var train = ImageDatasets.LoadFrom(root, KnownDatasets.Cifar10, DatasetSplit.Train);
        using var test = ImageDatasets.LoadFrom(folder, KnownDatasets.Cifar10, DatasetSplit.Test);
        Assert.Equal(new long[] { 20, 3, 32, 32 }, train.Images.shape);
        Assert.Equal(new long[] { 4, 3, 32, 32 }, test.Images.shape);
        // Record i of a batch has planes filled with i*3+c: the second record of data_batch_2 is image 5.
        Assert.Equal(new byte[] { 3, 4, 5 }, train.Images[5, .., 17, 9].data<byte>().ToArray());
        Assert.Equal((long)((1 + 2) % 10), train.Labels[5].item<long>());
        Assert.Equal("truck", train.ClassNames[9]);
        Assert.Equal(3, train.Stats.Channels);
    }

    [Fact]
    public void Reads_cifar100_fine_labels_and_the_shipped_class_names()
    {
        string folder = TempFolder();
        File.WriteAllBytes(Path.Combine(folder, "test.bin"), TestFiles.CifarRecords(3, 2, i => [(byte)(19 - i), (byte)(90 + i)]));
        File.WriteAllLines(Path.Combine(folder, "fine_label_names.txt"), Enumerable.Range(0, 100).Select(i => $"fine{i}"));
        using var test = ImageDatasets.LoadFrom(folder, KnownDatasets.Cifar100, DatasetSplit.Test);
        Assert.Equal(new long[] { 90, 91, 92 }, test.Labels.data<long>().ToArray());
        Assert.Equal(100, test.NumClasses);
        Assert.Equal("fine42", test.ClassNames[42]);
        Assert.Equal((byte)(2 * 3 + 1), test.Images[2, 1, 0, 0].item<byte>());
    }

    [Fact]
    public void A_truncated_batch_is_rejected_naming_the_file()
    {
        string folder = TempFolder();
        TestFiles.WriteCifar10(folder);
        string file = Path.Combine(folder, "data_batch_3.bin");
        byte[] bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^100]);
        var ex = Assert.Throws<InvalidDataException>(() => ImageDatasets.LoadFrom(folder, KnownDatasets.Cifar10, DatasetSplit.Train));
        Assert.Contains(file, ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void An_empty_batch_and_an_out_of_range_label_are_rejected()
    {
        string folder = TempFolder();
        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), []);
        Assert.Contains("test_batch.bin is empty or not a regular file", Assert.Throws<InvalidDataException>(() => ImageDatasets.LoadFrom(folder, KnownDatasets.Cifar10, DatasetSplit.Test)).Message);

        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), TestFiles.CifarRecords(3, 1, i => [(byte)(i == 2 ? 10 : 1)]));
        var ex = Assert.Throws<InvalidDataException>(() => ImageDatasets.LoadFrom(folder, KnownDatasets.Cifar10, DatasetSplit.Test));
        Assert.Contains("record 2 has label 10", ex.Message);
        Assert.Contains("test_batch.bin", ex.Message);
    }

    [Fact]
    public void Missing_batches_are_a_FileNotFoundException()
    {
        string folder = TempFolder();
        File.WriteAllBytes(Path.Combine(folder, "data_batch_1.bin"), TestFiles.CifarRecords(1, 1, _ => [0]));
        Assert.Throws<FileNotFoundException>(() => ImageDatasets.LoadFrom(folder, KnownDatasets.Cifar10, DatasetSplit.Train));
    }
}
