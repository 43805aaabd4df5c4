using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrainKit.Schedulers.Config;

/// <summary>
/// Reads a spec from the forms a command line offers: a JSON file (a spec, or a golden file, which has the
/// same kind/params), inline JSON, or the shorthand <c>Kind:name=value,name=value</c> where values are JSON
/// (numbers, [lists], "strings") or bare words taken as strings, e.g.
/// <c>MultiStepLR:milestones=[30,60],gamma=0.1</c>.
/// </summary>
public static class ScheduleSpecText
{
    public static ScheduleSpec Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        text = text.Trim();
        if (text.StartsWith('{')) return ScheduleSpec.FromJson(text);
        if (text.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(text)) throw new FileNotFoundException($"schedule file not found: {text}", text);
            string json = File.ReadAllText(text);
            // A golden file carries kind and params beside its recorded trajectory (and a numeric "momentum").
            if (JsonNode.Parse(json) is JsonObject o && o.ContainsKey("lrs") && o["params"] is JsonObject p && o["kind"] is JsonValue k)
                return new ScheduleSpec { Kind = k.GetValue<string>(), Params = (JsonObject)p.DeepClone() };
            return ScheduleSpec.FromJson(json);
        }
        int colon = text.IndexOf(':');
        string kind = colon < 0 ? text : text[..colon];
        var parameters = new JsonObject();
        if (colon >= 0)
            foreach (string pair in SplitTopLevel(text[(colon + 1)..]))
            {
                int eq = pair.IndexOf('=');
                if (eq <= 0) throw new ArgumentException($"schedule '{text}': expected name=value, got '{pair}'", nameof(text));
                parameters[pair[..eq].Trim()] = Value(pair[(eq + 1)..].Trim());
            }
        ScheduleCatalog.Describe(kind);
        return new ScheduleSpec { Kind = kind, Params = parameters };
    }

    static JsonNode? Value(string raw)
    {
        try { return JsonNode.Parse(raw); }
        catch (JsonException) { return JsonValue.Create(raw); }
    }

    static IEnumerable<string> SplitTopLevel(string s)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] is '[' or '{') depth++;
            else if (s[i] is ']' or '}') depth--;
            else if (s[i] == ',' && depth == 0) { yield return s[start..i]; start = i + 1; }
        }
        if (start < s.Length) yield return s[start..];
    }
}
