using System.Text.Json.Serialization;
using System.Text.Json.Nodes;
using TrainKit.Models;

namespace TrainKit.Training.Config;

/// <summary>Which <see cref="ModelConfig"/> record a model name selects, and the keys that record has.</summary>
public static class ModelKinds
{
    /// <summary>The record for <paramref name="family"/>.</summary>
    public static Type ConfigType(ModelFamily family) => family switch
    {
        ModelFamily.CifarResNet => typeof(CifarResNetModelConfig),
        ModelFamily.PreActResNet18 => typeof(PreActResNetModelConfig),
        ModelFamily.TanhMlp => typeof(TanhMlpModelConfig),
        ModelFamily.Gpt => typeof(GptModelConfig),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
    };

    /// <summary>The JSON keys of the record for <paramref name="family"/>, <c>name</c> first.</summary>
    public static IReadOnlyList<string> Keys(ModelFamily family) =>
        [.. RunConfigJson.Options.GetTypeInfo(ConfigType(family)).Properties
            .Where(p => !HasIgnore(p, JsonIgnoreCondition.Always) && !HasIgnore(p, JsonIgnoreCondition.WhenWritingNull))
            .OrderBy(p => p.Order).Select(p => p.Name)];

    /// <summary>The keys every kind of model accepts and writes only when set (<c>init_from</c>), so the blocks and
    /// config hashes of runs that leave them out are as before; not part of <see cref="Keys"/>.</summary>
    public static IReadOnlyList<string> OptionalKeys { get; } =
        [.. RunConfigJson.Options.GetTypeInfo(typeof(CifarResNetModelConfig)).Properties
            .Where(p => HasIgnore(p, JsonIgnoreCondition.WhenWritingNull)).Select(p => p.Name)];

    // [JsonIgnore] alone (Family) hides a property; [JsonIgnore(Condition = WhenWritingNull)] marks an optional key.
    static bool HasIgnore(System.Text.Json.Serialization.Metadata.JsonPropertyInfo property, JsonIgnoreCondition condition) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
            .OfType<JsonIgnoreAttribute>().Any(a => a.Condition == condition) == true;

    /// <summary>Whether <paramref name="key"/> belongs to some kind of model.</summary>
    public static bool IsModelKey(string key) => OptionalKeys.Contains(key) || Enum.GetValues<ModelFamily>().Any(f => Keys(f).Contains(key));

    /// <summary>
    /// Switching a model block to another kind (<c>--set model.name=gpt</c> on a ResNet configuration, a sweep variant
    /// whose <c>model</c> names another model than the base): the keys the block inherited that the new kind does not
    /// have are dropped, except <paramref name="given"/> (the keys the user set in the same edit, which are then
    /// refused by name if they do not apply). Keys the new kind has and the block lacks take their defaults.
    /// </summary>
    public static void DropInheritedKeys(JsonObject block, IReadOnlyCollection<string> given)
    {
        if (block["name"] is not JsonValue name || !name.TryGetValue(out string? text) || ModelNames.FamilyOf(text) is not ModelFamily family) return;
        var keys = Keys(family);
        foreach (string key in block.Select(p => p.Key).Where(k => !keys.Contains(k) && !given.Contains(k)).ToList()) block.Remove(key);
    }
}
