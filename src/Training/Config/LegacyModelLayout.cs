using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrainKit.Training.Config;

/// <summary>
/// The model block as every version before the per-kind model configs wrote it: one flat record with all eight
/// keys, whatever the model (an mlp-tanh run carried <c>heads: 4</c>, a GPT run <c>width: 1</c>).
/// <para>Compatibility rule for reading: a block that holds all eight keys is such an old file (config.json,
/// experiment.json, a checkpoint's recorded configuration; hand-written blocks name only what they set, and the
/// current writer writes at most seven). In it, a key that does not apply to the chosen model and still holds its
/// old default is dropped silently: those versions wrote it without reading it, so the run is the same. Anything
/// else that does not apply (an old file with <c>heads: 8</c> on a ResNet, or any such key in a new file) is
/// refused by name. The committed docs/results files are old files and load under this rule unchanged.</para>
/// <para>Hashes (<c>ConfigHash</c>, <see cref="ConfigFingerprint.Of"/>) are taken over <see cref="Flatten"/>ed
/// configurations, so a run that did not change keeps the hash it had before the split.</para>
/// </summary>
public static class LegacyModelLayout
{
    // The old record's keys, in its order, with the defaults it wrote (RunConfig's ModelConfig before issue #15).
    // Numbers are held as doubles: 4.0 is written "4", as the old int was.
    static readonly (string Key, JsonValue Default)[] Keys =
    [
        ("name", JsonValue.Create("resnet20")), ("width", JsonValue.Create(1.0)), ("layers", JsonValue.Create(4.0)),
        ("embedding", JsonValue.Create(128.0)), ("heads", JsonValue.Create(4.0)), ("context", JsonValue.Create(64.0)),
        ("dropout", JsonValue.Create(0.0)), ("norm", JsonValue.Create("pre")),
    ];

    /// <summary>Whether a model block with these keys was written by a version before the split.</summary>
    public static bool IsOldBlock(IReadOnlyCollection<string> keys) => Keys.All(k => keys.Contains(k.Key));

    /// <summary>Whether <paramref name="key"/> was one of the old record's keys.</summary>
    public static bool IsOldKey(string key) => Keys.Any(k => k.Key == key);

    /// <summary>Whether <paramref name="value"/> is the old default of <paramref name="key"/> (numbers compared as
    /// numbers: <c>0</c> and <c>0.0</c> are the same dropout).</summary>
    public static bool HoldsOldDefault(string key, JsonElement value)
    {
        JsonValue old = Keys.First(k => k.Key == key).Default;
        return value.ValueKind switch
        {
            JsonValueKind.Number => old.TryGetValue(out double number) && value.GetDouble() == number,
            JsonValueKind.String => old.TryGetValue(out string? text) && value.GetString() == text,
            _ => false,
        };
    }

    /// <summary>A copy of a serialized configuration whose <c>model</c> block is written the old way: the eight
    /// old keys in their order, each with the model's value or the old default, then any key the model has beyond
    /// them. For hashing only: a model of a kind that lacks a key hashes as the old files wrote it.</summary>
    public static JsonObject Flatten(JsonObject configuration)
    {
        JsonObject copy = configuration.DeepClone().AsObject();
        if (copy["model"] is not JsonObject model) return copy;
        var flat = new JsonObject();
        foreach (var (key, old) in Keys) flat[key] = (model[key] ?? old).DeepClone();
        foreach (var (key, value) in model)
            if (!IsOldKey(key)) flat[key] = value?.DeepClone();
        copy["model"] = flat;
        return copy;
    }
}
