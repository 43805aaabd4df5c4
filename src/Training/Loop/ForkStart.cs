using System.Globalization;
using System.Text.Json.Nodes;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;
using TrainKit.Training.Metrics;

namespace TrainKit.Training.Loop;

/// <summary>
/// The parent side of a fork (<c>trainkit train --from RUN_DIR --at STEP</c>): the parent's checkpoint of exactly
/// STEP, which the trainer restores as <c>--resume</c> would, so the fork's steps up to STEP are the parent's. The
/// parent folder is only read, under a shared lock (<see cref="RunFolderLock.AcquireShared"/>): a parent still being
/// trained is refused, and it cannot start again while the fork reads it. A fork may change the keys that
/// <c>--resume</c> may change and the schedule (<see cref="ConfigFingerprint.MayChangeOnFork"/>); any other change
/// is refused by name.
/// </summary>
public sealed class ForkStart : IDisposable
{
    readonly RunFolderLock? _parentLock;

    ForkStart(string parentDirectory, Checkpoint checkpoint, RunFolderLock? parentLock)
    {
        ParentDirectory = parentDirectory;
        Checkpoint = checkpoint;
        _parentLock = parentLock;
    }

    public string ParentDirectory { get; }

    /// <summary>The parent's checkpoint the fork continues.</summary>
    public Checkpoint Checkpoint { get; }

    public long Step => Checkpoint.Step;

    /// <summary>What the fork's configuration records as its origin.</summary>
    public ForkOrigin Origin => new() { Run = ParentDirectory, Step = Step, ParentConfigSha256 = ParentConfigSha256 };

    string ParentConfigSha256 => Checkpoint.State["config_sha256"] is JsonValue v && v.TryGetValue(out string? sha) && sha is not null ? sha : "";

    JsonObject ParentConfig => Checkpoint.State["config"] as JsonObject
        ?? throw new InvalidDataException($"checkpoint {Checkpoint.Folder} records no configuration (written by an older version), so a fork of it cannot be checked; fork a later checkpoint");

    /// <summary>Opens the parent's checkpoint of exactly <paramref name="step"/>; bad input (exit 2) when the folder is
    /// no run, is being written, or keeps no checkpoint of that step (the message lists the steps it keeps).</summary>
    public static ForkStart Open(string parentDirectory, long step)
    {
        if (string.IsNullOrWhiteSpace(parentDirectory)) throw new ArgumentException("--from is empty; give the run folder to fork");
        string parent = Path.TrimEndingDirectorySeparator(Path.GetFullPath(parentDirectory));
        if (!File.Exists(Path.Combine(parent, "config.json")))
            throw new ArgumentException($"--from {parentDirectory}: no config.json there, so it is not a run folder");
        if (step < 1) throw new ArgumentException($"--at must be a checkpointed step of at least 1, got {step}");
        RunFolderLock? parentLock = RunFolderLock.AcquireShared(parent, what: "the parent run folder");
        try
        {
            var store = new CheckpointStore(parent);
            Checkpoint checkpoint = store.At(step) ?? throw new ArgumentException(NoCheckpointMessage(parentDirectory, step, store.Steps()));
            return new ForkStart(parent, checkpoint, parentLock);
        }
        catch
        {
            parentLock?.Dispose();
            throw;
        }
    }

    static string NoCheckpointMessage(string parent, long step, IReadOnlyList<long> steps) =>
        $"--at {step}: {parent} has no checkpoint of step {step}; " +
        (steps.Count == 0 ? "it keeps no checkpoints" : $"it keeps checkpoints of steps {string.Join(", ", steps.Select(s => s.ToString(CultureInfo.InvariantCulture)))}") +
        " (a run keeps its newest keep_checkpoints, default 2; train the parent with keep_checkpoints: 0 to keep every one)";

    /// <summary>Refuses a fork configuration that changes what the parent's steps before the fork were (any key but
    /// the schedule and those <c>--resume</c> may change), that ends before the fork step, or whose recorded origin is
    /// no longer this checkpoint (the parent was trained again since the fork was made).</summary>
    /// <param name="forkTotalSteps">The fork's length in steps (null: not known yet, a length in epochs before the task is built).</param>
    public void CheckConfig(RunConfig fork, long? forkTotalSteps)
    {
        IReadOnlyList<string> refused = ConfigFingerprint.ChangedKeysRefusedByFork(ParentConfig, fork);
        if (refused.Count > 0)
            throw new ArgumentException(
                $"a fork of {ParentDirectory} at step {Step} cannot change {string.Join(", ", refused)}: the steps before the fork are the parent's; " +
                $"a fork may change {string.Join(", ", ConfigFingerprint.ForkableKeys)}");
        if (forkTotalSteps < Step)
            throw new ArgumentException($"the fork runs {forkTotalSteps} steps in all, fewer than the step {Step} it starts from; set steps to more than {Step}");
        if (fork.ForkedFrom is { ParentConfigSha256.Length: > 0 } origin && ParentConfigSha256.Length > 0 && origin.ParentConfigSha256 != ParentConfigSha256)
            throw new ArgumentException(
                $"forked_from records parent configuration {origin.ParentConfigSha256}, but the checkpoint of step {Step} in {ParentDirectory} was written " +
                $"under {ParentConfigSha256}: the parent changed since the fork was made");
    }

    /// <summary>Whether the fork keeps the parent's schedule block: then the parent's scheduler state (and length) continue
    /// exactly; otherwise the fork's schedule takes over the parent's clock at the fork step.</summary>
    public bool KeepsSchedule(RunConfig fork) => JsonNode.DeepEquals(ParentConfig["schedule"], ConfigFingerprint.Relevant(fork)["schedule"]);

    /// <summary>A fork starts in a new or empty folder (its own lock files aside) that is neither the parent nor inside it.</summary>
    public void CheckTarget(string forkDirectory, bool fresh)
    {
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(forkDirectory));
        if (target == ParentDirectory || target.StartsWith(ParentDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"--out {forkDirectory} is the parent run folder or inside it; a fork never writes into its parent, choose another folder");
        if (fresh) RequireEmptyFolder("--out", forkDirectory);
    }

    /// <summary>Refuses a folder holding anything but a run folder's lock files (a missing folder is fine).</summary>
    public static void RequireEmptyFolder(string option, string folder)
    {
        if (File.Exists(folder)) throw new ArgumentException($"{option} {folder} is a file, not a folder");
        if (!Directory.Exists(folder)) return;
        var entries = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName)
            .Where(name => name is not null && !name.StartsWith(RunFolderLock.RunLockFile, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (entries.Count > 0)
            throw new ArgumentException($"{option} {folder} is not empty ({string.Join(", ", entries.Take(3))}{(entries.Count > 3 ? ", ..." : "")}); a fork starts in a new or empty folder");
    }

    /// <summary>Writes the parent's metrics rows up to the fork step as the fork's metrics.jsonl.</summary>
    public void CopyMetricsTo(string forkDirectory) => MetricsLog.CopyRows(ParentDirectory, forkDirectory, Step);

    /// <summary>A warning when the fork's schedule does not start where the parent's lr was at the fork step (a
    /// cooldown tail normally continues from it); null when they agree.</summary>
    public string? LrJump(double forkLr)
    {
        if (Checkpoint.State["scheduler"]?["last_lrs"] is not JsonArray { Count: > 0 } lrs || lrs[0] is not JsonValue first || !first.TryGetValue(out double parentLr))
            return null;
        if (Math.Abs(forkLr - parentLr) <= 1e-12 * Math.Max(Math.Abs(parentLr), 1e-300)) return null;
        return FormattableString.Invariant(
            $"the fork's schedule gives lr {forkLr:G6} at step {Step}, where the parent's lr was {parentLr:G6}: the tail starts with a jump. ") +
            $"For a cooldown from the parent's lr, make the new schedule equal the parent's up to step {Step} (e.g. WSD with warmup_steps + stable_steps = {Step})";
    }

    public void Dispose() => _parentLock?.Dispose();
}
