using System.Text.Json;
using System.Text.Json.Serialization;

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
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(RunConfig config) => JsonSerializer.Serialize(config, Options);

    public static RunConfig Parse(string json, string source = "config")
    {
        try
        {
            return JsonSerializer.Deserialize<RunConfig>(json, Options)
                ?? throw new ArgumentException($"{source}: the configuration is null");
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{source}: {Describe(ex)}", ex);
        }
    }

    public static RunConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"config file not found: {path}", path);
        return Parse(File.ReadAllText(path), path);
    }

    static string Describe(JsonException ex)
    {
        string key = (ex.Path ?? "$").TrimStart('$').TrimStart('.');
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
