using System.Buffers.Binary;
using System.IO.Compression;
using TrainKit.IO;

namespace TrainKit.Training.Data;

/// <summary>An array read from an idx file (MNIST / Fashion-MNIST format): unsigned bytes and a shape.</summary>
public sealed record IdxArray(byte[] Data, int[] Shape)
{
    public int Count => Shape[0];
    public int ItemSize => Shape.Skip(1).Aggregate(1, (a, b) => a * b);
}

/// <summary>Reads idx files (raw or gzip) and validates them fully before anything touches native code.</summary>
public static class IdxFile
{
    const int UnsignedByteType = 0x08;

    public static IdxArray Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"idx file not found: {path}", path);
        byte[] bytes = ReadMaybeGzip(path);
        if (bytes.Length < 4)
            throw new InvalidDataException($"{path}: {bytes.Length} bytes is too short for an idx header");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{path}: not an idx file (magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8})");
        if (bytes[2] != UnsignedByteType)
            throw new InvalidDataException($"{path}: idx element type 0x{bytes[2]:X2} is not supported (only unsigned byte, 0x08)");
        int dims = bytes[3];
        if (dims is < 1 or > 4)
            throw new InvalidDataException($"{path}: idx rank {dims} is outside 1..4");
        int header = 4 + 4 * dims;
        if (bytes.Length < header)
            throw new InvalidDataException($"{path}: truncated idx header ({bytes.Length} of {header} bytes)");
        var shape = new int[dims];
        long expected = 1;
        for (int d = 0; d < dims; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (size > int.MaxValue)
                throw new InvalidDataException($"{path}: dimension {d} has an impossible size {size}");
            shape[d] = (int)size;
            expected *= size;
        }
        long actual = bytes.Length - header;
        if (actual != expected)
            throw new InvalidDataException(
                $"{path}: idx header declares shape [{string.Join(", ", shape)}] = {expected} bytes of data, but the file holds {actual}" +
                (actual < expected ? " (truncated)" : " (trailing bytes)"));
        return new IdxArray(bytes[header..], shape);
    }

    static byte[] ReadMaybeGzip(string path)
    {
        InputFile.RequireRegular(path, "idx file");
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        int read = file.Read(magic);
        file.Position = 0;
        if (read < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
        {
            var raw = new MemoryStream();
            file.CopyTo(raw);
            return raw.ToArray();
        }
        try
        {
            long compressedLength = file.Length;
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            byte[] buffer = InputFile.ReadBounded(gzip, path);
            // GZipStream stops quietly at a cut-off stream; the trailer's ISIZE (length mod 2^32) tells.
            file.Position = compressedLength - 4;
            Span<byte> trailer = stackalloc byte[4];
            if (compressedLength < 18 || file.Read(trailer) != 4 || BinaryPrimitives.ReadUInt32LittleEndian(trailer) != (uint)buffer.Length)
                throw new InvalidDataException($"{path}: truncated or corrupt gzip stream (its trailer does not match the {buffer.Length} bytes it holds)");
            return buffer;
        }
        catch (InvalidDataException ex) when (!ex.Message.Contains("decompresses to more than", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: corrupt gzip stream ({ex.Message})", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"{path}: truncated gzip stream", ex);
        }
    }
}
