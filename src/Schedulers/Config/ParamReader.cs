using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrainKit.Schedulers.Config;

/// <summary>
/// Reads a spec's parameters against the kind's metadata: unknown names, wrong types and per-group lists of
/// the wrong length are <see cref="ArgumentException"/>s naming the parameter; absent ones take the
/// documented default. Ranges are checked by the schedules' constructors.
/// </summary>
public sealed class ParamReader
{
    /// <summary>Informational keys the golden files carry; accepted and ignored.</summary>
    public static readonly IReadOnlySet<string> Informational = new HashSet<string> { "note", "formula" };

    readonly JsonObject _params;
    public KindInfo Kind { get; }

    public ParamReader(KindInfo kind, JsonObject parameters, IEnumerable<string>? alsoAllowed = null)
    {
        Kind = kind;
        _params = parameters;
        var extra = alsoAllowed?.ToHashSet() ?? [];
        foreach (var (name, _) in parameters)
            if (kind.Find(name) is null && !Informational.Contains(name) && !extra.Contains(name))
                throw new ArgumentException(
                    $"{kind.Name} has no parameter '{name}' (it takes: {string.Join(", ", kind.Parameters.Select(p => p.Name))})", name);
    }

    ParamInfo Info(string name) => Kind.Find(name) ?? throw new InvalidOperationException($"{Kind.Name}: '{name}' is not in its metadata");

    JsonNode? Raw(string name)
    {
        var info = Info(name);
        var node = _params[name];
        if (node is null && info.Required)
            throw new ArgumentException($"{Kind.Name} needs parameter '{name}' ({info.Description})", name);
        return node;
    }

    public bool Has(string name) => _params[name] is not null;

    /// <summary>Whether the value is a list (a per-group form such as ReduceLROnPlateau's min_lr).</summary>
    public bool IsList(string name) => _params[name] is JsonArray;

    static ArgumentException Type(string name, string expected, JsonNode node) =>
        new($"{name} must be {expected}, got {node.ToJsonString()}", name);

    static double AsNumber(string name, JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? NumberOf(v) : throw Type(name, "a number", node);

    public double Number(string name) => Raw(name) is { } n ? AsNumber(name, n) : Convert.ToDouble(Info(name).Default);

    public double? NumberOrNull(string name) => Raw(name) is { } n ? AsNumber(name, n) : null;

    public int Integer(string name)
    {
        double d = Number(name);
        if (d != Math.Floor(d) || d < int.MinValue || d > int.MaxValue) throw new ArgumentException($"{name} must be a whole number, got {d}", name);
        return (int)d;
    }

    public bool Bool(string name)
    {
        var n = Raw(name);
        if (n is null) return (bool)Info(name).Default!;
        return n is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : throw Type(name, "true or false", n);
    }

    public string Text(string name)
    {
        var n = Raw(name);
        if (n is null) return (string)Info(name).Default!;
        return n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Type(name, "a string", n);
    }

    public double[] Numbers(string name)
    {
        var n = Raw(name);
        if (n is null) return [];
        return n is JsonArray a ? a.Select(x => x is null ? throw Type(name, "a list of numbers", n) : AsNumber(name, x)).ToArray() : throw Type(name, "a list of numbers", n);
    }

    /// <summary>A number shared by all groups, or a list with one number per group.</summary>
    public double PerGroup(string name, int group, int groupCount)
    {
        var n = Raw(name);
        if (n is JsonArray a)
        {
            if (a.Count != groupCount)
                throw new ArgumentException($"{name} lists {a.Count} values but the optimizer has {groupCount} parameter groups", name);
            return AsNumber(name, a[group] ?? throw Type(name, "a number or a list of numbers", n));
        }
        return n is null ? Convert.ToDouble(Info(name).Default) : AsNumber(name, n);
    }

    /// <summary>Nested specs: either {"kind": K, "params": {...}} or PyTorch-style {"kind": K, p1: ..., p2: ...}.</summary>
    public IReadOnlyList<ScheduleSpec> Children(string name)
    {
        var n = Raw(name);
        if (n is not JsonArray a) throw Type(name, "a list of schedule specs", n ?? JsonValue.Create("null")!);
        var list = new List<ScheduleSpec>();
        foreach (var child in a)
        {
            if (child is not JsonObject o || o["kind"] is not JsonValue k || k.GetValueKind() != JsonValueKind.String)
                throw Type(name, "a list of objects with a \"kind\"", child ?? JsonValue.Create("null")!);
            if (o["params"] is JsonObject p)
                list.Add(new ScheduleSpec { Kind = k.GetValue<string>(), Params = (JsonObject)p.DeepClone() });
            else
            {
                var flat = new JsonObject();
                foreach (var (key, value) in o)
                    if (key != "kind") flat[key] = value?.DeepClone();
                list.Add(new ScheduleSpec { Kind = k.GetValue<string>(), Params = flat });
            }
        }
        return list;
    }

    // A value built in code (ScheduleSpec.Of("StepLR", ("step_size", 7))) holds an int or long, which
    // JsonValue.GetValue<double> refuses; one parsed from text converts freely.
    static double NumberOf(JsonValue value) =>
        value.TryGetValue(out double d) ? d
        : value.TryGetValue(out long l) ? l
        : value.TryGetValue(out int i) ? i
        : value.TryGetValue(out float f) ? f
        : value.TryGetValue(out decimal m) ? (double)m
        : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}
