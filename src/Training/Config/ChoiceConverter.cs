using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrainKit.Training.Config;

/// <summary>Reads and writes a configuration choice as one of its <see cref="ChoiceSpelling{T}"/> strings, strictly:
/// unlike <see cref="JsonStringEnumConverter"/>, numbers and other spellings (case included) are refused, and the error
/// lists the allowed values once <see cref="RunConfigJson"/> knows the key.</summary>
public sealed class ChoiceConverter<T> : JsonConverter<T> where T : struct, Enum
{
    // A JSON null reaches Read (T is a value type), so it can be named like a null block.
    public override bool HandleNull => true;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                throw new ChoiceException(null);
            case JsonTokenType.String:
                string text = reader.GetString()!;
                return ChoiceSpelling<T>.TryParse(text) ?? throw new ChoiceException(key => ChoiceSpelling<T>.NotAllowed(key, $"'{text}'"));
            default:
                // A number would otherwise pick a member by its position.
                string got = reader.TokenType switch
                {
                    JsonTokenType.StartObject => "an object",
                    JsonTokenType.StartArray => "an array",
                    _ => Encoding.UTF8.GetString(reader.ValueSpan),
                };
                throw new ChoiceException(key => ChoiceSpelling<T>.NotAllowed(key, got));
        }
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(ChoiceSpelling<T>.Of(value));
}

/// <summary>A choice that is not one of its spellings (or a JSON null); <see cref="RunConfigJson"/> completes the
/// message with the key from the reader's path.</summary>
public sealed class ChoiceException(Func<string, string>? describe) : KeyedJsonException(
    describe ?? (key => $"'{key}' is null; give a value or leave the key out to use the default"), "not one of the allowed values");
