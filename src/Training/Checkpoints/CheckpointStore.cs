using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrainKit.Training.Checkpoints;

/// <summary>
/// Checkpoints of one run, under <c>RUN_DIR/checkpoints/step-NNNNNNNNN/</c>, each a folder of named parts
/// (model, optimizer, rng, ...) plus <c>state.json</c>. A checkpoint is written into a temporary folder,
/// every file flushed to disk, <c>state.json</c> last (it marks the folder complete), then the folder is
/// renamed into place and the <c>latest</c> pointer replaced by rename. A process killed at any moment
/// therefore leaves every earlier checkpoint intact and loadable.
/// </summary>
public sealed class CheckpointStore
{
    const string StateFile = "state.json";
    const string LatestFile = "latest";
    const string TempPrefix = ".tmp-";
    readonly int _keep;

    public CheckpointStore(string runDirectory, int keep = 2)
    {
        if (keep < 1) throw new ArgumentOutOfRangeException(nameof(keep), keep, "keep must be at least 1");
        Directory = Path.Combine(runDirectory, "checkpoints");
        _keep = keep;
    }

    public string Directory { get; }

    public static string FolderName(long step) => $"step-{step.ToString("D9", CultureInfo.InvariantCulture)}";

    /// <summary>Writes a complete checkpoint for <paramref name="step"/> and returns its folder.</summary>
    public string Save(long step, IReadOnlyDictionary<string, Action<Stream>> parts, JsonObject state)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string final = Path.Combine(Directory, FolderName(step));
        string temp = Path.Combine(Directory, $"{TempPrefix}{FolderName(step)}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(temp);
        foreach (var (name, write) in parts)
            AtomicFile.WriteDurably(Path.Combine(temp, name + ".bin"), write);
        state["step"] = step;
        state["parts"] = new JsonArray(parts.Keys.Select(k => (JsonNode)k).ToArray());
        AtomicFile.WriteDurably(Path.Combine(temp, StateFile), s => JsonSerializer.Serialize(s, state, JsonOptions));

        if (System.IO.Directory.Exists(final))
        {
            // Same step saved again (e.g. the final save right after a periodic one): keep the old one
            // until the new one is in place.
            string aside = Path.Combine(Directory, $"{TempPrefix}old-{FolderName(step)}-{Guid.NewGuid():N}");
            System.IO.Directory.Move(final, aside);
            System.IO.Directory.Move(temp, final);
            System.IO.Directory.Delete(aside, recursive: true);
        }
        else
        {
            System.IO.Directory.Move(temp, final);
        }
        AtomicFile.WriteAllText(Path.Combine(Directory, LatestFile), FolderName(step));
        Prune();
        return final;
    }

    /// <summary>The newest complete checkpoint, or null when the run has none. Incomplete folders left by
    /// a killed writer are ignored.</summary>
    public Checkpoint? Latest()
    {
        if (!System.IO.Directory.Exists(Directory)) return null;
        string pointer = Path.Combine(Directory, LatestFile);
        if (File.Exists(pointer))
        {
            string named = Path.Combine(Directory, File.ReadAllText(pointer).Trim());
            if (IsComplete(named)) return Open(named);
        }
        return Complete().Select(Open).LastOrDefault();
    }

    IEnumerable<string> Complete() =>
        System.IO.Directory.GetDirectories(Directory, "step-*").Where(IsComplete).Order(StringComparer.Ordinal);

    static bool IsComplete(string folder) => File.Exists(Path.Combine(folder, StateFile));

    static Checkpoint Open(string folder)
    {
        JsonObject state;
        try
        {
            state = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, StateFile)))?.AsObject()
                ?? throw new InvalidDataException("empty");
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or InvalidOperationException)
        {
            throw new InvalidDataException($"checkpoint {folder}: state.json is not a valid JSON object ({ex.Message})", ex);
        }
        return new Checkpoint(folder, state);
    }

    void Prune()
    {
        foreach (string old in Complete().SkipLast(_keep))
            System.IO.Directory.Delete(old, recursive: true);
        foreach (string stale in System.IO.Directory.GetDirectories(Directory, TempPrefix + "*"))
            System.IO.Directory.Delete(stale, recursive: true);
    }

    static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}

/// <summary>A complete checkpoint on disk: its folder, its state and its named binary parts.</summary>
public sealed record Checkpoint(string Folder, JsonObject State)
{
    public long Step => State["step"]!.GetValue<long>();

    public bool Has(string part) => File.Exists(Path.Combine(Folder, part + ".bin"));

    public Stream OpenPart(string part)
    {
        string path = Path.Combine(Folder, part + ".bin");
        if (!File.Exists(path))
            throw new InvalidDataException($"checkpoint {Folder} has no '{part}' part");
        return File.OpenRead(path);
    }
}
