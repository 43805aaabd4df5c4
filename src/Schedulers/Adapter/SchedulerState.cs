using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrainKit.Schedulers.Adapter;

/// <summary>
/// Everything a scheduler needs to continue a run exactly: the clock and the reference values per group
/// (base lrs, the weight decay and momentum the co-scheduling started from). The schedule itself is not
/// stored: it is rebuilt from its spec. System.Text.Json writes doubles round-trippably, so the JSON form
/// resumes bit-for-bit.
/// </summary>
public sealed record SchedulerState
{
    [JsonPropertyName("format")] public int Format { get; init; } = 1;
    [JsonPropertyName("step_count")] public long StepCount { get; init; }
    [JsonPropertyName("time")] public double Time { get; init; }
    [JsonPropertyName("base_lrs")] public double[] BaseLrs { get; init; } = [];
    [JsonPropertyName("base_weight_decays")] public double?[] BaseWeightDecays { get; init; } = [];
    [JsonPropertyName("base_momenta")] public double?[] BaseMomenta { get; init; } = [];
    [JsonPropertyName("last_lrs")] public double[] LastLrs { get; init; } = [];
    /// <summary>ReduceLROnPlateau only.</summary>
    [JsonPropertyName("plateau")] public PlateauState? Plateau { get; init; }

    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static SchedulerState FromJson(string json) =>
        JsonSerializer.Deserialize<SchedulerState>(json) ?? throw new ArgumentException("scheduler state: the JSON is empty", nameof(json));
}

/// <summary>ReduceLROnPlateau's bookkeeping (PyTorch's best / num_bad_epochs / cooldown_counter).</summary>
public sealed record PlateauState
{
    [JsonPropertyName("scale_lrs")] public double[] PlateauLrs { get; init; } = [];
    [JsonPropertyName("best")] public double Best { get; init; }
    [JsonPropertyName("num_bad_epochs")] public int NumBadEpochs { get; init; }
    [JsonPropertyName("cooldown_counter")] public int CooldownCounter { get; init; }
}
