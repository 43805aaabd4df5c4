using System.Text.Json.Nodes;
using TrainKit.Training.Experiments;
using TrainKit.Training.Metrics;

namespace TrainKit.Training.Reports;

/// <summary>What a finished cell left on disk: its metrics rows, summary.json and analysis.json (and
/// snapshot_ensemble.json when it kept snapshots).</summary>
public sealed record CellRecord(string Name, string Variant, long Seed, string Folder, List<JsonObject> Metrics, JsonObject? Summary, JsonObject? Analysis)
{
    public JsonObject? Ensemble { get; init; }

    /// <summary>Written by a sweep when the cell's training diverged (the cell still counts as finished).</summary>
    public const string DivergedFile = CellRunner.DivergedFile;

    public bool Diverged => File.Exists(Path.Combine(Folder, DivergedFile));

    public static CellRecord Load(string folder, string variant, long seed)
    {
        return new CellRecord(Path.GetFileName(folder), variant, seed, folder, MetricsLog.Read(folder),
            ReadObject(Path.Combine(folder, "summary.json")), ReadObject(Path.Combine(folder, "analysis.json")))
        {
            Ensemble = ReadObject(Path.Combine(folder, RunAnalysis.SnapshotEnsemble.FileName)),
        };
    }

    static JsonObject? ReadObject(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonNode.Parse(File.ReadAllText(path)) as JsonObject; }
        catch (System.Text.Json.JsonException ex) { throw new InvalidDataException($"{path}: not valid JSON ({ex.Message})", ex); }
    }

    /// <summary>A number at a dotted path such as <c>lambda_max.lanczos.value</c>, or null.</summary>
    public static double? Number(JsonNode? root, string path)
    {
        JsonNode? node = root;
        foreach (string key in path.Split('.'))
            node = node is JsonObject o && o.TryGetPropertyValue(key, out var child) ? child : null;
        return node is JsonValue v && v.TryGetValue(out double d) && double.IsFinite(d) ? d : null;
    }

    /// <summary>(step, value) for every metrics row that has <paramref name="column"/>.</summary>
    public (double[] Steps, double[] Values) Series(string column) => Series(column, "step");

    /// <summary>(x, value) for every metrics row that has both <paramref name="xColumn"/> (e.g. epoch) and <paramref name="column"/>.</summary>
    public (double[] Steps, double[] Values) Series(string column, string xColumn)
    {
        var rows = Metrics.Select(r => (Step: Number(r, xColumn), Value: Number(r, column)))
            .Where(p => p.Step is not null && p.Value is not null).ToList();
        return (rows.Select(p => p.Step!.Value).ToArray(), rows.Select(p => p.Value!.Value).ToArray());
    }
}
