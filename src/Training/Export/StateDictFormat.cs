namespace TrainKit.Training.Export;

/// <summary>The two files PyTorch users load a state_dict from.</summary>
public enum StateDictFormat
{
    /// <summary><c>torch.save(model.state_dict())</c>'s zip archive, read by <c>torch.load</c>.</summary>
    Pt,
    /// <summary>Hugging Face's safetensors: an 8-byte header length, a JSON header, raw little-endian tensor data.</summary>
    Safetensors,
}

/// <summary>Spellings and file extensions of <see cref="StateDictFormat"/>.</summary>
public static class StateDictFormats
{
    /// <summary>The format a <c>--format</c> value names (<c>pt</c> or <c>safetensors</c>), refused naming the flag otherwise.</summary>
    public static StateDictFormat Parse(string? text, string option = "--format") => text?.Trim().ToLowerInvariant() switch
    {
        "pt" => StateDictFormat.Pt,
        "safetensors" => StateDictFormat.Safetensors,
        _ => throw new ArgumentException($"{option} must be pt or safetensors, got '{text}'"),
    };

    /// <summary>The default file extension, with its dot.</summary>
    public static string Extension(this StateDictFormat format) => format switch
    {
        StateDictFormat.Pt => ".pt",
        StateDictFormat.Safetensors => ".safetensors",
    };
}
