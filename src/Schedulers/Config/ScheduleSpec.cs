using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TrainKit.Schedulers.Adapter;

namespace TrainKit.Schedulers.Config;

/// <summary>
/// A schedule as data: the kind, its parameters under PyTorch's/HF's own names, the time unit, and how
/// weight decay and momentum follow it. Round-trips through System.Text.Json with snake_case names, e.g.
/// <code>{"kind":"CosineAnnealingWarmRestarts","params":{"T_0":10,"T_mult":2,"eta_min":0.0005},
///  "unit":"epochs","steps_per_epoch":390,"weight_decay":{"mode":"follow_schedule"}}</code>
/// </summary>
public sealed record ScheduleSpec
{
    [JsonPropertyName("kind")] public required string Kind { get; init; }

    /// <summary>Parameter name → number, array, string, bool, or (SequentialLR/ChainedScheduler) nested specs.</summary>
    [JsonPropertyName("params")] public JsonObject Params { get; init; } = [];

    /// <summary>Unit of every time parameter: steps (one per scheduler.step()) or epochs.</summary>
    [JsonPropertyName("unit")] public TimeUnit Unit { get; init; } = TimeUnit.Steps;

    /// <summary>Required when <see cref="Unit"/> is epochs: how many scheduler steps make an epoch.</summary>
    [JsonPropertyName("steps_per_epoch")] public int? StepsPerEpoch { get; init; }

    [JsonPropertyName("weight_decay")] public WeightDecaySpec? WeightDecay { get; init; }

    [JsonPropertyName("momentum")] public MomentumSpec? Momentum { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A misspelt key ("wieght_decay") is an error naming it, never silently ignored (as run configs do).
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ScheduleSpec FromJson(string json)
    {
        try
        {
            var spec = JsonSerializer.Deserialize<ScheduleSpec>(json, JsonOptions) ?? throw new ArgumentException("schedule spec: the JSON is empty", nameof(json));
            // JSON null in a non-nullable member is written through by the serializer (net8 has no RespectNullableAnnotations).
            if (spec.Kind is null) throw new ArgumentException("schedule spec: 'kind' is null; name a schedule kind", "kind");
            if (spec.Params is null) throw new ArgumentException("schedule spec: 'params' is null; give an object of parameters, or leave the key out", "params");
            return spec;
        }
        catch (JsonException ex)
        {
            // System.Text.Json names an unknown key as "The JSON property 'x' could not be mapped to any .NET member ...".
            var unknown = System.Text.RegularExpressions.Regex.Match(ex.Message, "property '([^']*)' could not be mapped");
            string where = ex.Path is { Length: > 2 } p ? $" at {p}" : "";
            throw unknown.Success
                ? new ArgumentException($"schedule spec: unknown key '{unknown.Groups[1].Value}'{where} (known: kind, params, unit, steps_per_epoch, weight_decay, momentum)", unknown.Groups[1].Value, ex)
                : new ArgumentException($"schedule spec: {ex.Message}", nameof(json), ex);
        }
    }

    /// <summary>Shorthand for code: <c>ScheduleSpec.Of("StepLR", ("step_size", 7), ("gamma", 0.5))</c>.</summary>
    public static ScheduleSpec Of(string kind, params (string Name, JsonNode? Value)[] parameters)
    {
        var p = new JsonObject();
        foreach (var (name, value) in parameters) p[name] = value;
        return new ScheduleSpec { Kind = kind, Params = p };
    }
}

/// <summary>Weight-decay coupling in a spec (the "custom" mode needs code: <see cref="Coupling.WeightDecayCoupling.Custom"/>).</summary>
public sealed record WeightDecaySpec
{
    [JsonPropertyName("mode")] public Coupling.WeightDecayMode Mode { get; init; } = Coupling.WeightDecayMode.Fixed;
    /// <summary>constant_product only: the cap on wd_t/wd₀ (default <see cref="Coupling.WeightDecayCoupling.DefaultMaxFactor"/>).</summary>
    [JsonPropertyName("max_factor")] public double? MaxFactor { get; init; }
}

/// <summary>Momentum coupling in a spec.</summary>
public sealed record MomentumSpec
{
    [JsonPropertyName("mode")] public Coupling.MomentumMode Mode { get; init; } = Coupling.MomentumMode.Auto;
    /// <summary>inverse_to_lr: the momentum at the base lr.</summary>
    [JsonPropertyName("base_momentum")] public double? BaseMomentum { get; init; }
    /// <summary>inverse_to_lr: the momentum at lr 0.</summary>
    [JsonPropertyName("max_momentum")] public double? MaxMomentum { get; init; }
}
