using System.Collections;
using System.Text.Json;
using TorchSharp.PyBridge;
using TrainKit.IO;
using static TorchSharp.torch;

namespace TrainKit.Training.Export;

/// <summary>
/// Reads and writes state_dict files PyTorch loads, through TorchSharp.PyBridge: <c>.pt</c> with its PyTorch pickler
/// (the zip archive <c>torch.save</c> writes) and <c>.safetensors</c> with its safetensors writer. Writes are atomic
/// (a crash leaves the old file or none). Reading checks what PyBridge would trust (the safetensors header's size and
/// offsets, that every value is a tensor) and reports any unreadable file as <see cref="InvalidDataException"/>
/// naming it.
/// </summary>
public static class StateDictFile
{
    /// <summary>Writes <paramref name="weights"/> (key order kept) to <paramref name="path"/> in <paramref name="format"/>.</summary>
    public static void Write(string path, StateDictFormat format, Dictionary<string, Tensor> weights)
    {
        // PyBridge's path overloads open with File.OpenWrite, which does not truncate a longer old file: give it a stream.
        AtomicFile.Write(path, stream =>
        {
            switch (format)
            {
                case StateDictFormat.Pt: PyTorchPickler.PickleStateDict(stream, weights, leaveOpen: true); break;
                case StateDictFormat.Safetensors: Safetensors.SaveStateDict(stream, weights, leaveOpen: true); break;
            }
        });
    }

    /// <summary>The tensors of a .pt or .safetensors state_dict file (told apart by content: a .pt file is a zip
    /// archive). The caller disposes them.</summary>
    public static Dictionary<string, Tensor> Read(string path, string what = "state_dict file")
    {
        FileInfo info = InputFile.RequireRegular(path, what);
        try
        {
            using var stream = File.OpenRead(path);
            return IsZip(stream) ? ReadPickled(stream, path) : ReadSafetensors(stream, info.Length, path);
        }
        // The checks above name the file; anything PyBridge or the zip reader throws (ZipArchive's own
        // InvalidDataException included) gets the file's name added.
        catch (Exception ex) when (ex is not (OutOfMemoryException or UnauthorizedAccessException) && !ex.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{what} {path} is neither a PyTorch state_dict (.pt) nor a safetensors file: {ex.Message}", ex);
        }
    }

    static bool IsZip(Stream stream)
    {
        Span<byte> signature = stackalloc byte[4];
        int read = stream.ReadAtLeast(signature, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        return read == 4 && signature.SequenceEqual("PK\u0003\u0004"u8);
    }

    static Dictionary<string, Tensor> ReadPickled(Stream stream, string path)
    {
        Hashtable table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key || entry.Value is not Tensor tensor)
            {
                foreach (Tensor t in result.Values) t.Dispose();
                throw new InvalidDataException($"{path} is not a state_dict of tensors: key '{entry.Key}' holds {entry.Value?.GetType().Name ?? "null"}");
            }
            result[key] = tensor;
        }
        return result;
    }

    static Dictionary<string, Tensor> ReadSafetensors(Stream stream, long length, string path)
    {
        CheckSafetensorsHeader(stream, length, path);
        return Safetensors.LoadStateDict(stream, leaveOpen: true);
    }

    /// <summary>PyBridge allocates what the header claims and reads the offsets it lists: check them against the file
    /// first, so a truncated or foreign file fails with a message rather than a huge allocation or a short read.</summary>
    static void CheckSafetensorsHeader(Stream stream, long length, string path)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw new InvalidDataException($"{path} is too short for a safetensors file (no 8-byte header length)");
        ulong headerLength = BitConverter.ToUInt64(prefix);
        if (headerLength < 2 || headerLength > (ulong)(length - 8) || headerLength > 100_000_000)
            throw new InvalidDataException($"{path} is not a safetensors file: its header length {headerLength} does not fit the {length}-byte file");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataBytes = length - 8 - (long)headerLength;
        using (JsonDocument document = JsonDocument.Parse(header))
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path} is not a safetensors file: its header is not a JSON object");
            foreach (JsonProperty entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                string outside = $"{path}: safetensors entry '{entry.Name}' has no data_offsets inside the file's {dataBytes} data bytes";
                if (entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("data_offsets", out JsonElement offsets) ||
                    offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2 ||
                    !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end))
                    throw new InvalidDataException(outside);
                if (!(begin >= 0 && begin <= end && end <= dataBytes)) throw new InvalidDataException(outside);
            }
        }
        stream.Position = 0;
    }
}
