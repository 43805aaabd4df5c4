using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrainKit.Training.Metrics;

/// <summary>
/// One row per logged step in <c>metrics.jsonl</c> (the CLI contract: at least step, lr, train_loss) and the
/// same rows in <c>metrics.csv</c>. Every row is flushed as written, so a killed run keeps what it logged.
/// On resume, rows after the checkpoint's step are dropped so the files read like one uninterrupted run.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    public const string JsonFile = "metrics.jsonl";
    public const string CsvFile = "metrics.csv";
    readonly StreamWriter _json;
    readonly string _csvPath;
    readonly List<string> _columns;
    StreamWriter _csv;

    public MetricsLog(string runDirectory, long? resumeAfterStep = null)
    {
        string jsonPath = Path.Combine(runDirectory, JsonFile);
        _csvPath = Path.Combine(runDirectory, CsvFile);
        List<JsonObject> kept = resumeAfterStep is long step ? Read(runDirectory).Where(r => r["step"]!.GetValue<long>() <= step).ToList() : [];
        _columns = kept.SelectMany(r => r.Select(p => p.Key)).Distinct().ToList();
        _json = new StreamWriter(jsonPath, append: false, new UTF8Encoding(false));
        foreach (JsonObject row in kept) _json.WriteLine(row.ToJsonString());
        _json.Flush();
        _csv = RewriteCsv(kept);
    }

    public void Write(IReadOnlyDictionary<string, double?> values)
    {
        var row = new JsonObject();
        foreach (var (key, value) in values)
            row[key] = value is double v && double.IsFinite(v) ? JsonValue.Create(v) : null;
        _json.WriteLine(row.ToJsonString());
        _json.Flush();
        if (values.Keys.Any(k => !_columns.Contains(k)))
        {
            _columns.AddRange(values.Keys.Where(k => !_columns.Contains(k)));
            _csv.Dispose();
            _csv = RewriteCsv(Read(Path.GetDirectoryName(_csvPath)!));
        }
        else
        {
            _csv.WriteLine(CsvRow(row));
            _csv.Flush();
        }
    }

    /// <summary>Reads every row of a run's metrics.jsonl (empty if absent).</summary>
    public static List<JsonObject> Read(string runDirectory)
    {
        string path = Path.Combine(runDirectory, JsonFile);
        if (!File.Exists(path)) return [];
        var rows = new List<JsonObject>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            try { rows.Add(JsonNode.Parse(line)!.AsObject()); }
            catch (JsonException) { break; } // a torn last line from a killed process
        }
        return rows;
    }

    StreamWriter RewriteCsv(IEnumerable<JsonObject> rows)
    {
        var csv = new StreamWriter(_csvPath, append: false, new UTF8Encoding(false));
        csv.WriteLine(string.Join(',', _columns));
        foreach (JsonObject row in rows) csv.WriteLine(CsvRow(row));
        csv.Flush();
        return csv;
    }

    string CsvRow(JsonObject row) => string.Join(',', _columns.Select(c =>
        row[c] is JsonValue v && v.TryGetValue(out double d) ? d.ToString("R", CultureInfo.InvariantCulture) : ""));

    public void Dispose()
    {
        _json.Dispose();
        _csv.Dispose();
    }
}
