using System.Text.Json;
using System.Text.Json.Serialization;
using TrainKit.IO;

namespace TrainKit.Training.Config;

/// <summary>Reads and writes <see cref="RunConfig"/> as strict snake_case JSON: an unknown key is an error
/// that names the key, never silently ignored.</summary>
public static class RunConfigJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.Strict,
        // A key given twice would silently shadow the first value: name it instead.
        AllowDuplicateProperties = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(RunConfig config) => JsonSerializer.Serialize(config, Options);

    public static RunConfig Parse(string json, string source = "config")
    {
        try
        {
            RunConfig config = JsonSerializer.Deserialize<RunConfig>(json, Options)
                ?? throw new ArgumentException($"{source}: the configuration is null");
            return RejectNullBlocks(config, source);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{source}: {Describe(ex)}", ex);
        }
    }

    /// <summary>JSON <c>null</c> for a block would reach the trainer as a null reference: name the key instead.</summary>
    static RunConfig RejectNullBlocks(RunConfig c, string source)
    {
        foreach (var (key, value) in new (string, object?)[]
        {
            ("model", c.Model), ("data", c.Data), ("optimizer", c.Optimizer), ("schedule", c.Schedule), ("divergence", c.Divergence),
            ("snapshot_epochs", c.SnapshotEpochs), ("model.name", c.Model?.Name),
            ("schedule.kind", c.Schedule?.Kind), ("schedule.params", c.Schedule?.Params),
            ("early_stopping.metric", c.EarlyStopping is null ? "" : c.EarlyStopping.Metric),
        })
            if (value is null)
                throw new ArgumentException($"{source}: '{key}' is null; give a value or leave the key out to use the default");
        return c;
    }

    public static RunConfig Load(string path)
    {
        InputFile.RequireRegular(path, "config file", InputFile.MaxConfigFileBytes);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>A reader error as a message naming the dotted key (for any file read with <see cref="Options"/>);
    /// <paramref name="within"/> is the key of the block the reader was given, when it read only that block.</summary>
    internal static string Describe(JsonException ex, string within = "")
    {
        string key = (ex.Path ?? "$").TrimStart('$').TrimStart('.');
        if (within.Length > 0) key = key.Length > 0 ? $"{within}.{key}" : within;
        // A choice (task, optimizer.name, ...) that is not one of its spellings, or a model key of another kind:
        // the converter worded it for the key.
        if (ex is KeyedJsonException keyed) return keyed.Describe(key);
        // System.Text.Json reports an unknown key as "The JSON property 'x' could not be mapped ...".
        const string marker = "The JSON property '";
        int at = ex.Message.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            int start = at + marker.Length;
            string name = ex.Message[start..ex.Message.IndexOf('\'', start)];
            string parent = key.EndsWith(name, StringComparison.Ordinal) ? key[..^name.Length].TrimEnd('.') : key;
            return $"unknown key '{(parent.Length > 0 ? parent + "." : "")}{name}'";
        }
        return $"bad value at '{(key.Length > 0 ? key : "(root)")}': {ex.Message.Split(" Path:")[0]}";
    }
}
