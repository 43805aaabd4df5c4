using System.Globalization;

namespace TrainKit.IO;

/// <summary>
/// Data files are opened only once they look like regular files of a bounded size. A FIFO blocks the open until a
/// writer appears and a device such as <c>/dev/zero</c> never ends; .NET cannot tell them from files, but both
/// report size 0, as an empty file does, and none of the three is a dataset, so size 0 is refused before opening.
/// The upper bound keeps a wrong path (a disk image, a huge log) from exhausting memory before it fails to parse.
/// </summary>
public static class InputFile
{
    /// <summary>Largest single data file read into memory: 4 GiB (CIFAR-100's batches are 160 MB, IDX files 50 MB).</summary>
    public const long MaxDataFileBytes = 4L << 30;

    /// <summary>Largest configuration or experiment file: 16 MiB (a config is a few KB; /dev/zero would never end).</summary>
    public const long MaxConfigFileBytes = 16L << 20;

    /// <summary>The file's info once it is a regular, non-empty file of at most <paramref name="maxBytes"/>.</summary>
    /// <param name="path">The file to check.</param>
    /// <param name="what">What the file is, for the message ("idx file", "text corpus").</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    public static FileInfo RequireRegular(string path, string what, long maxBytes = MaxDataFileBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{what} not found: {path}", path);
        if (info.Length == 0)
            throw new InvalidDataException($"{what} {path} is empty or not a regular file (a FIFO or a device reads as size 0)");
        if (info.Length > maxBytes)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{what} {path} is {info.Length:N0} bytes, above the limit of {maxBytes:N0} bytes"));
        return info;
    }

    /// <summary>Copies a (decompressing) stream into memory, refusing more than <paramref name="maxBytes"/>: a gzip
    /// bomb or an endless stream fails with a message instead of exhausting memory.</summary>
    public static byte[] ReadBounded(Stream source, string path, long maxBytes = MaxDataFileBytes)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = source.Read(chunk)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: decompresses to more than {maxBytes:N0} bytes"));
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
