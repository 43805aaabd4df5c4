using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace TrainKit.Training.Tests.Data;

/// <summary>Gives each test its own temporary folders and deletes them when xunit disposes the test.</summary>
public abstract class TempFolderTest : IDisposable
{
    readonly List<string> folders = [];

    protected string TempFolder(string prefix = "trainkit-data-")
    {
        string folder = Directory.CreateTempSubdirectory(prefix).FullName;
        folders.Add(folder);
        return folder;
    }

    public void Dispose()
    {
        foreach (string folder in folders)
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        GC.SuppressFinalize(this);
    }
}

/// <summary>Writes small datasets in their exact on-disk formats.</summary>
static class TestFiles
{
    public static byte[] Idx(int[] shape, byte[] data)
    {
        var header = new List<byte> { 0, 0, 0x08, (byte)shape.Length };
        foreach (int d in shape) header.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        return [.. header, .. data];
    }

    public static byte[] Gzip(byte[] bytes)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return buffer.ToArray();
    }

    /// <summary>An idx image/label pair of <paramref name="count"/> images whose pixel (i, y, x) is
    /// (i + y + x) mod 256 and whose label is i mod 10.</summary>
    public static (byte[] Images, byte[] Labels) IdxPair(int count, int size = 28)
    {
        var pixels = new byte[count * size * size];
        for (int i = 0; i < count; i++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    pixels[(i * size + y) * size + x] = (byte)(i + y + x);
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        return (Idx([count, size, size], pixels), Idx([count], labels));
    }

    public static void WriteIdxSplit(string folder, string prefix, int count, bool gzip, int size = 28)
    {
        var (images, labels) = IdxPair(count, size);
        string suffix = gzip ? ".gz" : "";
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-images-idx3-ubyte{suffix}"), gzip ? Gzip(images) : images);
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte{suffix}"), gzip ? Gzip(labels) : labels);
    }

    /// <summary>CIFAR records: label byte(s) then R, G, B planes; pixel value encodes (record, channel).</summary>
    public static byte[] CifarRecords(int count, int labelBytes, Func<int, byte[]> labelsOf)
    {
        var records = new List<byte>();
        for (int i = 0; i < count; i++)
        {
            records.AddRange(labelsOf(i));
            for (int c = 0; c < 3; c++)
                records.AddRange(Enumerable.Repeat((byte)(i * 3 + c), 1024));
        }
        return [.. records];
    }

    public static void WriteCifar10(string folder, int perBatch = 4)
    {
        Directory.CreateDirectory(folder);
        for (int b = 1; b <= 5; b++)
            File.WriteAllBytes(Path.Combine(folder, $"data_batch_{b}.bin"), CifarRecords(perBatch, 1, i => [(byte)((i + b) % 10)]));
        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), CifarRecords(perBatch, 1, i => [(byte)(i % 10)]));
    }

    /// <summary>A .tar.gz holding <paramref name="files"/> (relative path → bytes).</summary>
    public static byte[] TarGz(IReadOnlyDictionary<string, byte[]> files)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, bytes) in files)
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
        return buffer.ToArray();
    }

    public static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
