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
    readonly string _runDirectory;
    readonly string _csvPath;
    List<string> _columns = [];
    StreamWriter _json = StreamWriter.Null;
    StreamWriter _csv = StreamWriter.Null;

    public MetricsLog(string runDirectory, long? resumeAfterStep = null)
    {
        _runDirectory = runDirectory;
        _csvPath = Path.Combine(runDirectory, CsvFile);
        Reopen(resumeAfterStep is long step ? Read(runDirectory).Where(r => r["step"]!.GetValue<long>() <= step).ToList() : []);
    }

    /// <summary>Drops the rows after <paramref name="step"/> (a rollback to that checkpoint).</summary>
    public void RewindTo(long step)
    {
        _json.Dispose();
        _csv.Dispose();
        Reopen(Read(_runDirectory).Where(r => r["step"]!.GetValue<long>() <= step).ToList());
    }

    void Reopen(List<JsonObject> kept)
    {
        _columns = kept.SelectMany(r => r.Select(p => p.Key)).Distinct().ToList();
        _json = new StreamWriter(Path.Combine(_runDirectory, JsonFile), append: false, new UTF8Encoding(false));
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
            _csv = RewriteCsv(Read(_runDirectory));
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
