using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TrainKit.Schedulers.Golden;

/// <summary>
/// A recorded reference trajectory (tests/fixtures/schedulers/*.json, written by tools/golden/record.py; the
/// differential lane's cases have the same shape): lrs[k][group] after construction (k = 0) and after the k-th
/// optimizer.step(); scheduler.step() pair, and momenta likewise.
/// </summary>
public sealed record GoldenFile
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    /// <summary>Where the numbers come from, e.g. "torch 1.13.0a0" or "closed form (published formula, ...)".</summary>
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    /// <summary>The behaviour the case pins (plain, step_epoch, chained, ...).</summary>
    [JsonPropertyName("category")] public string Category { get; init; } = "plain";
    /// <summary>SGD, Adam, AdamW, or "any" (closed-form files; replayed on SGD).</summary>
    [JsonPropertyName("optimizer")] public string Optimizer { get; init; } = "any";
    [JsonPropertyName("base_lrs")] public double[] BaseLrs { get; init; } = [];
    /// <summary>SGD momentum or Adam beta1 the optimizer starts with.</summary>
    [JsonPropertyName("momentum")] public double? Momentum { get; init; }
    [JsonPropertyName("steps")] public int Steps { get; init; }
    /// <summary>TrainKit's spec params (PyTorch's / HF's names; in epochs when <see cref="Unit"/> is epochs).</summary>
    [JsonPropertyName("params")] public JsonObject Params { get; init; } = [];
    /// <summary>The spec's time unit ("steps" or "epochs"); PyTorch was given <c>torch_params</c> in steps.</summary>
    [JsonPropertyName("unit")] public string? Unit { get; init; }
    [JsonPropertyName("steps_per_epoch")] public int? StepsPerEpoch { get; init; }
    /// <summary>SGDR's fractional epochs: after the k-th optimizer step the scheduler is stepped to epoch k / this.</summary>
    [JsonPropertyName("fractional_iters_per_epoch")] public int? FractionalItersPerEpoch { get; init; }
    /// <summary>Per step: null for step(), a number for step(epoch). Absent: step() every time.</summary>
    [JsonPropertyName("step_epochs")] public double?[]? StepEpochs { get; init; }
    /// <summary>ReduceLROnPlateau: per step, the metric reported with <c>step(metric)</c> instead of a plain step().</summary>
    [JsonPropertyName("metrics")] public double[]? Metrics { get; init; }
    [JsonPropertyName("lrs")] public double[][] Lrs { get; init; } = [];
    [JsonPropertyName("momenta")] public double[][]? Momenta { get; init; }

    public static GoldenFile Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<GoldenFile>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty golden file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a golden file ({e.Message})", e);
        }
    }
}
