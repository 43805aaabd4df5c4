using System.Text.Json;
using System.Text.Json.Nodes;
using TrainKit.IO;

namespace TrainKit.Training.Config;

/// <summary>
/// <c>--set key.path=value</c> overrides: each assignment replaces one key of the configuration's JSON form, and the
/// result is read back by <see cref="RunConfigJson.Parse"/>, so an unknown key or a bad value gets the same message
/// as in a config file. A value is JSON when it parses as JSON (<c>0.05</c>, <c>true</c>, <c>[1,2]</c>, <c>{"a":1}</c>),
/// else a string (<c>adamw</c>). Setting <c>model.name</c> to a model of another kind drops the keys the old model had
/// and the new one lacks (<see cref="ModelKinds.DropInheritedKeys"/>), so <c>--set model.name=gpt</c> on a ResNet
/// configuration is a GPT with its defaults, while <c>--set model.width=2 --set model.name=gpt</c> is refused by name.
/// </summary>
public static class RunConfigOverrides
{
    public static RunConfig Apply(RunConfig config, IEnumerable<string> assignments)
    {
        var list = assignments.ToList();
        if (list.Count == 0) return config;
        JsonObject root = JsonNode.Parse(RunConfigJson.Serialize(config))!.AsObject();
        var modelKeys = new List<string>();
        foreach (string assignment in list)
            if (Set(root, assignment) is ["model", string key]) modelKeys.Add(key);
        if (modelKeys.Contains("name") && root["model"] is JsonObject model) ModelKinds.DropInheritedKeys(model, modelKeys);
        return RunConfigJson.Parse(root.ToJsonString(), "--set");
    }

    /// <summary>A partial configuration file on top of <paramref name="config"/> (a fork's tail): each top-level key the
    /// file gives replaces the whole value of that key (a <c>schedule</c> block is a new schedule, not merged with the old
    /// one's parameters); keys it leaves out keep their values. Errors name the file and the key, as in a config file.</summary>
    public static RunConfig Overlay(RunConfig config, string path)
    {
        InputFile.RequireRegular(path, "config file", InputFile.MaxConfigFileBytes);
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            // A key given twice would silently shadow the first value (JsonObject raises on it when first enumerated).
            if (parsed is JsonObject o) _ = o.Count;
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{path}: {RunConfigJson.Describe(ex)}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{path}: {ex.Message}", ex);
        }
        JsonObject tail = parsed as JsonObject ?? throw new ArgumentException($"{path}: a configuration file holds one JSON object");
        JsonObject root = JsonNode.Parse(RunConfigJson.Serialize(config))!.AsObject();
        foreach (var (key, value) in tail) root[key] = value?.DeepClone();
        return RunConfigJson.Parse(root.ToJsonString(), path);
    }

    /// <returns>The key path that was set.</returns>
    static string[] Set(JsonObject root, string assignment)
    {
        int equals = assignment.IndexOf('=');
        if (equals <= 0) throw new ArgumentException($"--set '{assignment}' is not key.path=value (e.g. --set optimizer.lr=0.05)");
        string path = assignment[..equals].Trim();
        string[] keys = path.Split('.');
        if (keys.Any(k => k.Length == 0)) throw new ArgumentException($"--set '{assignment}': the key path '{path}' has an empty part");
        JsonObject block = root;
        for (int i = 0; i < keys.Length - 1; i++)
        {
            string prefix = string.Join('.', keys[..(i + 1)]);
            switch (block[keys[i]])
            {
                case JsonObject child: block = child; break;
                // An optional block left out (early_stopping: null) is created; the parser then fills its defaults.
                case null: block = (JsonObject)(block[keys[i]] = new JsonObject()); break;
                default: throw new ArgumentException($"--set {path}: '{prefix}' is a value, not a block of keys");
            }
        }
        block[keys[^1]] = ParseValue(assignment[(equals + 1)..]);
        return keys;
    }

    static JsonNode? ParseValue(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return JsonValue.Create(text); }
    }
}
