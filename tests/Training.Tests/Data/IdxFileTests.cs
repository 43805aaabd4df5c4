using System.IO.Compression;
using TrainKit.Training.Data;

namespace TrainKit.Training.Tests.Data;

public class IdxFileTests
{
    static string TempFile(byte[] bytes, bool gzip = false)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("trainkit-idx-").FullName, gzip ? "x.gz" : "x");
        if (!gzip) { File.WriteAllBytes(path, bytes); return path; }
        using var file = File.Create(path);
        using var stream = new GZipStream(file, CompressionLevel.Fastest);
        stream.Write(bytes);
        return path;
    }

    static byte[] Idx(int[] shape, byte[] data)
    {
        var header = new List<byte> { 0, 0, 0x08, (byte)shape.Length };
        foreach (int d in shape) header.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        return [.. header, .. data];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_raw_and_gzip_files(bool gzip)
    {
        byte[] data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)i).ToArray();
        IdxArray idx = IdxFile.Read(TempFile(Idx([2, 3, 4], data), gzip));
        Assert.Equal([2, 3, 4], idx.Shape);
        Assert.Equal(12, idx.ItemSize);
        Assert.Equal(data, idx.Data);
    }

    [Fact]
    public void Truncated_data_names_the_file_and_the_sizes()
    {
        string path = TempFile(Idx([2, 3, 4], new byte[20]));
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("24 bytes of data, but the file holds 20 (truncated)", ex.Message);
    }

    [Fact]
    public void Wrong_magic_and_corrupt_gzip_are_rejected()
    {
        Assert.Contains("not an idx file", Assert.Throws<InvalidDataException>(() => IdxFile.Read(TempFile([1, 2, 3, 4, 5]))).Message);
        byte[] gz = File.ReadAllBytes(TempFile(Idx([100], new byte[100]), gzip: true));
        Assert.Contains("gzip", Assert.Throws<InvalidDataException>(() => IdxFile.Read(TempFile(gz[..(gz.Length / 2)]))).Message);
        Assert.Throws<FileNotFoundException>(() => IdxFile.Read("/no/such/file.gz"));
    }

    [Fact]
    public void The_embedded_subset_is_class_balanced_fashion_mnist()
    {
        string folder = EmbeddedFashionMnist.Locate();
        IdxArray images = IdxFile.Read(Path.Combine(folder, "train-images-idx3-ubyte.gz"));
        IdxArray labels = IdxFile.Read(Path.Combine(folder, "train-labels-idx1-ubyte.gz"));
        Assert.Equal([10000, 28, 28], images.Shape);
        Assert.Equal(Enumerable.Repeat(1000, 10), labels.Data.GroupBy(b => b).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal([2000, 28, 28], IdxFile.Read(Path.Combine(folder, "t10k-images-idx3-ubyte.gz")).Shape);
    }
}
