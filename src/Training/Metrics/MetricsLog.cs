using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrainKit.IO;

namespace TrainKit.Training.Metrics;

/// <summary>
/// One row per logged step in <c>metrics.jsonl</c> (the CLI contract: at least step, lr, train_loss) and the
/// same rows in <c>metrics.csv</c>. Every row is flushed as written, so a killed run keeps what it logged.
/// On resume (and divergence rollback), rows after the checkpoint's step are dropped so the files read like one
/// uninterrupted run; the kept rows are rewritten through <see cref="AtomicFile"/>, so a process killed during
/// that rewrite leaves the old file whole, never an empty or half-written one. Only a torn last line (a killed
/// writer) is dropped; an unreadable line in the middle is kept verbatim and reported in <see cref="Problems"/>.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    public const string JsonFile = "metrics.jsonl";
    public const string CsvFile = "metrics.csv";
    readonly string _runDirectory;
    readonly string _jsonPath;
    readonly string _csvPath;
    readonly List<string> _problems = [];
    List<string> _columns = [];
    StreamWriter _json = StreamWriter.Null;
    StreamWriter _csv = StreamWriter.Null;

    public MetricsLog(string runDirectory, long? resumeAfterStep = null)
    {
        _runDirectory = runDirectory;
        _jsonPath = Path.Combine(runDirectory, JsonFile);
        _csvPath = Path.Combine(runDirectory, CsvFile);
        Reopen(resumeAfterStep is long step ? KeptUpTo(step) : []);
    }

    /// <summary>Unreadable lines found in the middle of metrics.jsonl (kept as they are), one message each.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Drops the rows after <paramref name="step"/> (a rollback to that checkpoint).</summary>
    public void RewindTo(long step) => Reopen(KeptUpTo(step));

    /// <summary>The lines to keep when continuing from <paramref name="step"/>: rows up to that step, and unreadable
    /// middle lines that come before the last kept row (their step is unknown, so they stay where they were).</summary>
    List<MetricsLine> KeptUpTo(long step)
    {
        List<MetricsLine> lines = ReadLines(_jsonPath);
        foreach (MetricsLine bad in lines.Where(l => l.Row is null))
            if (!_problems.Contains(bad.Problem!)) _problems.Add(bad.Problem!);
        int lastKept = lines.FindLastIndex(l => l.Step is long s && s <= step);
        return [.. lines.Take(lastKept + 1).Where(l => l.Row is null || l.Step <= step)];
    }

    void Reopen(List<MetricsLine> kept)
    {
        _json.Dispose();
        _csv.Dispose();
        AtomicFile.WriteAllText(_jsonPath, string.Concat(kept.Select(l => l.Text + "\n")));
        _json = Append(_jsonPath);
        var rows = kept.Where(l => l.Row is not null).Select(l => l.Row!).ToList();
        _columns = rows.SelectMany(r => r.Select(p => p.Key)).Distinct().ToList();
        _csv = RewriteCsv(rows);
    }

    static StreamWriter Append(string path) => new(path, append: true, new UTF8Encoding(false));

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

    /// <summary>Writes the rows of <paramref name="fromRun"/>'s metrics.jsonl up to <paramref name="step"/> as
    /// <paramref name="toRun"/>'s metrics.jsonl (a fork's prefix, so its metrics read as one complete run); the
    /// source is only read. Open a <see cref="MetricsLog"/> on <paramref name="toRun"/> afterwards to continue it.</summary>
    public static void CopyRows(string fromRun, string toRun, long step) =>
        AtomicFile.WriteAllText(Path.Combine(toRun, JsonFile),
            string.Concat(ReadLines(Path.Combine(fromRun, JsonFile)).Where(l => l.Step <= step).Select(l => l.Text + "\n")));

    /// <summary>Reads every readable row of a run's metrics.jsonl (empty if absent); unreadable lines are skipped.</summary>
    public static List<JsonObject> Read(string runDirectory) =>
        [.. ReadLines(Path.Combine(runDirectory, JsonFile)).Where(l => l.Row is not null).Select(l => l.Row!)];

    /// <summary>Every non-empty line of a metrics.jsonl with its row, or the reason it is unreadable. A last line that
    /// does not parse is a write torn by a killed process and is left out.</summary>
    public static List<MetricsLine> ReadLines(string path)
    {
        if (!File.Exists(path)) return [];
        var lines = new List<MetricsLine>();
        int number = 0;
        foreach (string text in File.ReadLines(path))
        {
            number++;
            if (text.Length == 0) continue;
            lines.Add(MetricsLine.Parse(text, path, number));
        }
        if (lines.Count > 0 && lines[^1].Row is null) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    StreamWriter RewriteCsv(IEnumerable<JsonObject> rows)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', _columns)).Append('\n');
        foreach (JsonObject row in rows) text.Append(CsvRow(row)).Append('\n');
        AtomicFile.WriteAllText(_csvPath, text.ToString());
        return Append(_csvPath);
    }

    string CsvRow(JsonObject row) => string.Join(',', _columns.Select(c =>
        row[c] is JsonValue v && v.TryGetValue(out double d) ? d.ToString("R", CultureInfo.InvariantCulture) : ""));

    public void Dispose()
    {
        _json.Dispose();
        _csv.Dispose();
    }
}

/// <summary>One line of metrics.jsonl: its text, and either its row and step or why it cannot be read.</summary>
public sealed record MetricsLine(string Text, JsonObject? Row, long? Step, string? Problem)
{
    public static MetricsLine Parse(string text, string path, int number)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject row && row["step"] is JsonValue v && v.TryGetValue(out double step) && step >= 0 && step == Math.Floor(step))
                return new MetricsLine(text, row, (long)step, null);
            return new MetricsLine(text, null, null, $"{path} line {number}: not a metrics row with a whole-number \"step\"; kept as it is");
        }
        catch (JsonException ex)
        {
            return new MetricsLine(text, null, null, $"{path} line {number} is not valid JSON ({ex.Message.Split(" Path:")[0]}); kept as it is");
        }
    }
}
