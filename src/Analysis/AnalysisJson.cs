using System.Text.Json;
using System.Text.Json.Serialization;
using TrainKit.IO;

namespace TrainKit.Analysis;

/// <summary>Reads and writes analysis.json (snake_case keys, omitted sections absent, NaN/∞ as strings).</summary>
public static class AnalysisJson
{
    public const string FileName = "analysis.json";

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    public static string Serialize(AnalysisReport report) => JsonSerializer.Serialize(report, Options);

    public static AnalysisReport Deserialize(string json) =>
        JsonSerializer.Deserialize<AnalysisReport>(json, Options) ?? throw new InvalidDataException("analysis.json is empty");

    /// <summary>Writes atomically (<see cref="AtomicFile"/>): a reader, or a crash, never sees half a file.</summary>
    public static void Write(AnalysisReport report, string path) => AtomicFile.WriteAllText(path, Serialize(report));

    public static AnalysisReport Read(string path) => Deserialize(File.ReadAllText(path));
}
