using System.Globalization;
using System.Text.Json.Nodes;
using TrainKit.Schedulers.Adapter;

namespace TrainKit.Schedulers.Config;

/// <summary>
/// Rewrites a spec given in epochs as the same spec in steps: every time parameter (<see cref="ParamUnit.Time"/>,
/// nested specs included) is multiplied by steps_per_epoch and every per-time factor (<see cref="ParamUnit.PerTime"/>)
/// becomes its steps_per_epoch-th root. The schedules are then built in steps, so the integer-step offsets some
/// kinds have (OneCycleLR's "− 1" phase ends, Noam's s = t + 1, SlantedTriangular's ⌊T·cut_frac⌋, the HF
/// warmups' max(1, W)) mean steps, exactly as PyTorch/HF apply them. By construction a schedule in epochs equals
/// the same schedule in steps × steps_per_epoch; a whole-number parameter that would not stay whole is refused.
/// </summary>
public static class ScheduleUnits
{
    /// <summary>The spec in steps (unchanged when it already is); epochs need steps_per_epoch.</summary>
    public static ScheduleSpec ToSteps(ScheduleSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Unit == TimeUnit.Steps)
        {
            ScheduleFactory.AxisOf(spec);   // refuses steps_per_epoch without epochs
            return spec;
        }
        int perEpoch = ScheduleFactory.AxisOf(spec).StepsPerEpoch;
        return spec with { Params = Scaled(spec.Kind, spec.Params, perEpoch), Unit = TimeUnit.Steps, StepsPerEpoch = null };
    }

    static JsonObject Scaled(string kindName, JsonObject parameters, int perEpoch)
    {
        var kind = ScheduleCatalog.Describe(kindName);
        var result = (JsonObject)parameters.DeepClone();
        foreach (var (name, value) in parameters)
        {
            if (kind.Find(name) is not { } info || value is null) continue;
            if (info.Type == ParamType.Schedules && value is JsonArray children)
                result[name] = new JsonArray(children.Select(c => (JsonNode?)ScaledChild(name, c, perEpoch)).ToArray());
            else if (info.Unit is ParamUnit.Time or ParamUnit.PerTime)
                result[name] = value is JsonArray list
                    ? new JsonArray(list.Select(x => (JsonNode?)JsonValue.Create(Convert(info, x, perEpoch))).ToArray())
                    : JsonValue.Create(Convert(info, value, perEpoch));
        }
        return result;
    }

    /// <summary>A nested spec, in either of the forms <see cref="ParamReader.Children"/> reads.</summary>
    static JsonNode? ScaledChild(string parent, JsonNode? child, int perEpoch)
    {
        if (child is not JsonObject o || o["kind"] is not JsonValue k || !k.TryGetValue(out string? kind))
            throw new ArgumentException($"{parent} must be a list of objects with a \"kind\"", parent);
        if (o.ContainsKey("unit") || o.ContainsKey("steps_per_epoch"))
            throw new ArgumentException($"{parent}: a nested {kind} takes its unit from the outer spec; remove its unit/steps_per_epoch", parent);
        if (o["params"] is JsonObject p) return new JsonObject { ["kind"] = kind, ["params"] = Scaled(kind, p, perEpoch) };
        var flat = new JsonObject();
        foreach (var (key, value) in o)
            if (key != "kind") flat[key] = value?.DeepClone();
        // "kind" first, as the user wrote it (JsonObject.Insert is not in net8.0's System.Text.Json).
        var scaled = new JsonObject { ["kind"] = kind };
        foreach (var (key, value) in Scaled(kind, flat, perEpoch))
            scaled[key] = value?.DeepClone();
        return scaled;
    }

    static double Convert(ParamInfo info, JsonNode? node, int perEpoch)
    {
        if (node is not JsonValue v || !v.TryGetValue(out double value))
            value = node is JsonValue n ? double.Parse(n.ToJsonString(), CultureInfo.InvariantCulture) : throw new ArgumentException($"{info.Name} must be a number", info.Name);
        if (info.Unit == ParamUnit.PerTime) return Math.Pow(value, 1.0 / perEpoch);
        double steps = value * perEpoch, whole = Math.Round(steps);
        // 0.3 epochs × 10 is 3.0000000000000004 in binary: within rounding of a whole step it is that step.
        if (Math.Abs(steps - whole) <= 1e-9 * Math.Max(1, Math.Abs(whole))) steps = whole;
        if (info.Type == ParamType.Integer && steps != Math.Floor(steps))
            throw new ArgumentException(
                $"{info.Name} = {value.ToString("R", CultureInfo.InvariantCulture)} epochs × {perEpoch} steps_per_epoch = {steps.ToString("R", CultureInfo.InvariantCulture)} steps, which is not a whole number of steps", info.Name);
        return steps;
    }
}
