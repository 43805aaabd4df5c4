using System.Text.Json;
using System.Text.Json.Serialization;
using TrainKit.Models;

namespace TrainKit.Training.Config;

/// <summary>Reads a <c>model</c> block as the <see cref="ModelConfig"/> record its <c>name</c> selects (resnet20 when
/// the name is left out, as before), strictly: a key of another kind is refused naming the key, the model and the
/// keys it accepts; an unknown name lists the known ones. Old files follow <see cref="LegacyModelLayout"/>'s rule.
/// Writes only the selected kind's keys.</summary>
public sealed class ModelConfigConverter : JsonConverter<ModelConfig>
{
    const string DefaultName = "resnet20";

    public override ModelConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonTokenType token = reader.TokenType;
        if (token != JsonTokenType.StartObject)
            throw new KeyedJsonException(key => $"'{key}' must be a block of keys such as {{\"name\": \"{DefaultName}\"}}, got {token}", "not a model block");
        // The document is gone when a message is worded: every lambda below captures strings, not elements.
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        var properties = document.RootElement.EnumerateObject().ToList();
        var seen = new HashSet<string>();
        foreach (string key in properties.Select(p => p.Name))
            if (!seen.Add(key))
                throw new KeyedJsonException(block => $"'{block}.{key}' is given twice", "duplicate key");

        string name = DefaultName;
        if (document.RootElement.TryGetProperty("name", out JsonElement given))
        {
            string got = given.GetRawText();
            if (given.ValueKind != JsonValueKind.String)
                throw new KeyedJsonException(block => $"{block}.name must be a model name such as {DefaultName}; got {got}", "not a model name");
            name = given.GetString()!;
        }
        ModelFamily family = ModelNames.FamilyOf(name)
            ?? throw new KeyedJsonException(block => $"{block}.name: {ModelNames.Unknown(name)}", "unknown model");
        var keys = ModelKinds.Keys(family);
        bool oldBlock = LegacyModelLayout.IsOldBlock(seen);

        using var kept = new MemoryStream();
        using (var writer = new Utf8JsonWriter(kept))
        {
            writer.WriteStartObject();
            foreach (JsonProperty property in properties)
            {
                string key = property.Name;
                if (keys.Contains(key) || ModelKinds.OptionalKeys.Contains(key)) property.WriteTo(writer);
                else if (!(oldBlock && LegacyModelLayout.IsOldKey(key) && LegacyModelLayout.HoldsOldDefault(key, property.Value)))
                    throw new KeyedJsonException(block => NotApplicable(block, key, name, keys, oldBlock), "a key of another model");
            }
            writer.WriteEndObject();
        }
        try
        {
            return (ModelConfig)JsonSerializer.Deserialize(kept.ToArray(), ModelKinds.ConfigType(family), options)!;
        }
        catch (JsonException ex)
        {
            // Read on its own, the block's errors name keys relative to it: prefix the block's own key.
            throw new KeyedJsonException(key => RunConfigJson.Describe(ex, key), ex.Message);
        }
    }

    static string NotApplicable(string block, string key, string model, IReadOnlyList<string> keys, bool oldBlock)
    {
        string accepted = $"(its keys: {string.Join(", ", keys)})";
        if (!ModelKinds.IsModelKey(key)) return $"unknown key '{block}.{key}': {model} has no such key {accepted}";
        return $"{block}.{key} does not apply to {model} {accepted}" +
            (oldBlock ? "; this file was written by an older version, which ignored the key: delete it to read the file" : "");
    }

    public override void Write(Utf8JsonWriter writer, ModelConfig value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);
}
