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
    /// <summary>The schedule that wrote this state (<see cref="ScheduledLR.Identity"/>); null in states written before it was recorded.</summary>
    [JsonPropertyName("schedule")] public string? Schedule { get; init; }
    [JsonPropertyName("step_count")] public long StepCount { get; init; }
    [JsonPropertyName("time")] public double Time { get; init; }
    /// <summary>The time the last <c>step(epoch)</c>/<c>step_to</c> set, and the step count then: later steps continue from it.</summary>
    [JsonPropertyName("origin_time")] public double OriginTime { get; init; }
    [JsonPropertyName("origin_step")] public long OriginStep { get; init; }
    /// <summary>The divergence rollback's multiplier on every lr (1: none).</summary>
    [JsonPropertyName("lr_scale")] public double LrScale { get; init; } = 1;
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
    /// <summary>±∞ before the first counted metric (PyTorch's "worst" value): written as the JSON strings
    /// "Infinity"/"-Infinity", since JSON numbers have no infinities.</summary>
    [JsonPropertyName("best")]
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public double Best { get; init; }
    [JsonPropertyName("num_bad_epochs")] public int NumBadEpochs { get; init; }
    [JsonPropertyName("cooldown_counter")] public int CooldownCounter { get; init; }
}
