using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TrainKit.Schedulers.Golden;

/// <summary>
/// A recorded reference trajectory (shared/golden/schedulers/*.json): lrs[k][group] after construction
/// (k = 0) and after the k-th optimizer.step(); scheduler.step() pair, and momenta likewise.
/// </summary>
public sealed record GoldenFile
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    /// <summary>SGD, Adam, AdamW, or "any" (closed-form files; replayed on SGD).</summary>
    [JsonPropertyName("optimizer")] public string Optimizer { get; init; } = "any";
    [JsonPropertyName("base_lrs")] public double[] BaseLrs { get; init; } = [];
    /// <summary>SGD momentum or Adam beta1 the optimizer starts with.</summary>
    [JsonPropertyName("momentum")] public double? Momentum { get; init; }
    [JsonPropertyName("steps")] public int Steps { get; init; }
    [JsonPropertyName("params")] public JsonObject Params { get; init; } = [];
    /// <summary>SGDR's fractional epochs: after the k-th optimizer step the scheduler is stepped to epoch k / this.</summary>
    [JsonPropertyName("fractional_iters_per_epoch")] public int? FractionalItersPerEpoch { get; init; }
    [JsonPropertyName("lrs")] public double[][] Lrs { get; init; } = [];
    [JsonPropertyName("momenta")] public double[][]? Momenta { get; init; }

    public static GoldenFile Load(string path) =>
        JsonSerializer.Deserialize<GoldenFile>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty golden file");
}
