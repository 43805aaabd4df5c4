using System.Text.Json;

namespace TrainKit.Training.Config;

/// <summary>A reader error that can only be worded once the dotted key is known: converters throw it, and
/// <see cref="RunConfigJson"/> completes the message with the key from the reader's path (<c>model</c>,
/// <c>base.model</c>, ...).</summary>
public class KeyedJsonException(Func<string, string> describe, string message) : JsonException(message)
{
    /// <summary>The message for <paramref name="key"/>.</summary>
    public string Describe(string key) => describe(key);
}
