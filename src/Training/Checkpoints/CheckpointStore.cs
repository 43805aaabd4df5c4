using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrainKit.IO;

namespace TrainKit.Training.Checkpoints;

/// <summary>
/// Checkpoints of one run, under <c>RUN_DIR/checkpoints/step-NNNNNNNNN/</c>, each a folder of named parts
/// (model, optimizer, rng, ...) plus <c>state.json</c>. A checkpoint is written into a temporary folder,
/// every file flushed to disk, <c>state.json</c> last (it marks the folder complete), then the folder is
/// renamed into place and the <c>latest</c> pointer replaced by rename. A process killed at any moment
/// therefore leaves every earlier checkpoint intact and loadable. <c>state.json</c> records each part's size and
/// SHA-256, checked before a part reaches native code (libtorch aborts the process on some malformed inputs).
/// Temporary folders carry their writer's PID, so <see cref="Prune"/> removes only its own and those of dead writers.
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
        string temp = Path.Combine(Directory, $"{TempPrefix}{FolderName(step)}-{OwnTag}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(temp);
        var digests = new JsonObject();
        foreach (var (name, write) in parts)
        {
            string file = Path.Combine(temp, name + ".bin");
            AtomicFile.WriteDurably(file, write);
            digests[name] = PartDigest.Of(File.ReadAllBytes(file)).ToJson();
        }
        state["step"] = step;
        state["parts"] = new JsonArray(parts.Keys.Select(k => (JsonNode)k).ToArray());
        state["part_digests"] = digests;
        AtomicFile.WriteDurably(Path.Combine(temp, StateFile), s => JsonSerializer.Serialize(s, state, JsonOptions));

        if (System.IO.Directory.Exists(final))
        {
            // Same step saved again (e.g. the final save right after a periodic one): keep the old one
            // until the new one is in place.
            string aside = Path.Combine(Directory, $"{TempPrefix}old-{FolderName(step)}-{OwnTag}-{Guid.NewGuid():N}");
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
            string name = File.ReadAllText(pointer).Trim();
            // The pointer is data from disk: it may only name one of this store's own step folders.
            if (!StepFolderName.IsMatch(name))
                throw new InvalidDataException($"{pointer} names '{name}', which is not a step-NNNNNNNNN checkpoint folder of {Directory}");
            string named = Path.Combine(Directory, name);
            if (IsComplete(named)) return Open(named);
        }
        return Complete().Select(Open).LastOrDefault();
    }

    /// <summary>The newest complete checkpoint of a step before <paramref name="step"/> (null when none is kept).</summary>
    public Checkpoint? LatestBefore(long step) =>
        System.IO.Directory.Exists(Directory) ? Complete().Select(Open).LastOrDefault(c => c.Step < step) : null;

    /// <summary>The complete checkpoint of exactly <paramref name="step"/> (null when none is kept).</summary>
    public Checkpoint? At(long step) => CompleteSteps().Where(c => c.Step == step).Select(c => Open(c.Folder)).FirstOrDefault();

    /// <summary>The steps of the complete checkpoints kept, oldest first.</summary>
    public IReadOnlyList<long> Steps() => [.. CompleteSteps().Select(c => c.Step)];

    /// <summary>Complete checkpoint folders with the step their name gives (a name beyond a long's range is skipped).</summary>
    IEnumerable<(string Folder, long Step)> CompleteSteps() =>
        !System.IO.Directory.Exists(Directory) ? [] :
        Complete().Select(f => (Folder: f, Step: StepOf(f))).Where(c => c.Step is not null).Select(c => (c.Folder, c.Step!.Value));

    static long? StepOf(string folder) =>
        long.TryParse(Path.GetFileName(folder)["step-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out long step) ? step : null;

    IEnumerable<string> Complete() =>
        System.IO.Directory.GetDirectories(Directory, "step-*").Where(f => StepFolderName.IsMatch(Path.GetFileName(f)) && IsComplete(f)).Order(StringComparer.Ordinal);

    static readonly System.Text.RegularExpressions.Regex StepFolderName = new(@"^step-[0-9]{9,19}$");

    /// <summary>This process's mark in temporary folder names.</summary>
    static string OwnTag => "pid" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

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
        foreach (string temp in System.IO.Directory.GetDirectories(Directory, TempPrefix + "*"))
            if (IsOwnOrStale(Path.GetFileName(temp)))
                System.IO.Directory.Delete(temp, recursive: true);
    }

    /// <summary>A temporary folder may be deleted when this process wrote it or its writer is gone: another live
    /// process (e.g. a second sweep runner on the same cell) may be filling it right now.</summary>
    static bool IsOwnOrStale(string name)
    {
        var match = System.Text.RegularExpressions.Regex.Match(name, "-pid([0-9]+)-");
        if (!match.Success) return true; // written before temp folders carried a PID: a leftover of an old version
        int pid = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return pid == Environment.ProcessId || !ProcessIsAlive(pid);
    }

    static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}

/// <summary>A complete checkpoint on disk: its folder, its state and its named binary parts.</summary>
public sealed record Checkpoint(string Folder, JsonObject State)
{
    public long Step => State["step"] is JsonValue v && v.TryGetValue(out long step) && step >= 0
        ? step
        : throw new InvalidDataException($"checkpoint {Folder}: state.json has no valid \"step\" (a non-negative integer)");

    public bool Has(string part) => File.Exists(Path.Combine(Folder, part + ".bin"));

    /// <summary>The part's bytes, checked against the size and SHA-256 recorded in state.json (checkpoints written
    /// before digests were recorded are only checked to be non-empty); a mismatch names the file.</summary>
    public byte[] ReadPart(string part)
    {
        string path = Path.Combine(Folder, part + ".bin");
        if (!File.Exists(path))
            throw new InvalidDataException($"checkpoint {Folder} has no '{part}' part");
        byte[] bytes = File.ReadAllBytes(path);
        PartDigest? expected;
        try
        {
            expected = State["part_digests"] is JsonObject digests && digests[part] is JsonNode node ? PartDigest.FromJson(node) : null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new InvalidDataException($"checkpoint {Folder}: state.json has a malformed part_digests.{part} entry ({ex.Message})", ex);
        }
        if (expected is null)
        {
            if (bytes.Length == 0) throw new InvalidDataException($"checkpoint part {path} is empty");
            return bytes;
        }
        PartDigest actual = PartDigest.Of(bytes);
        if (actual.Bytes != expected.Bytes)
            throw new InvalidDataException($"checkpoint part {path} is {actual.Bytes} bytes, but the checkpoint recorded {expected.Bytes} (truncated or replaced)");
        if (actual.Sha256 != expected.Sha256)
            throw new InvalidDataException($"checkpoint part {path} does not match the SHA-256 the checkpoint recorded (corrupted)");
        return bytes;
    }

    /// <summary>A checked part as a stream (see <see cref="ReadPart"/>).</summary>
    public Stream OpenPart(string part) => new MemoryStream(ReadPart(part), writable: false);
}

/// <summary>Size and SHA-256 of one checkpoint part, as recorded in state.json.</summary>
public sealed record PartDigest(long Bytes, string Sha256)
{
    public static PartDigest Of(byte[] bytes) => new(bytes.LongLength, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));

    public JsonObject ToJson() => new() { ["bytes"] = Bytes, ["sha256"] = Sha256 };

    public static PartDigest FromJson(JsonNode node) =>
        node is JsonObject o && o["bytes"] is JsonValue bytes && bytes.TryGetValue(out long size)
            && o["sha256"] is JsonValue hash && hash.TryGetValue(out string? sha) && sha is not null
            ? new(size, sha)
            : throw new FormatException("expected {\"bytes\": N, \"sha256\": \"...\"}");
}
