using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TrainKit.Training.Config;

/// <summary>
/// The part of a <see cref="RunConfig"/> that decides what a checkpoint's weights mean (task, model, data,
/// optimizer, schedule, batch size, seed, clipping, divergence policy), recorded in each checkpoint so that a
/// resume under an edited configuration is refused, naming the keys that changed. Keys that only say how long to
/// run, how often to log, evaluate, checkpoint or probe, where to write, or on which device, may change on resume;
/// so may <c>ema</c>: the moving average watches the trajectory without changing it (a resume that turns it on starts
/// the average from the checkpoint's weights).
/// </summary>
public static class ConfigFingerprint
{
    static readonly string[] MayChangeOnResume =
        ["steps", "epochs", "log_every", "eval_every", "checkpoint_every", "keep_checkpoints", "snapshot_epochs", "probe_every", "probe_examples", "device", "out", "forked_from", "ema", "threads", "determinism"];

    /// <summary>What a fork may change besides those: the schedule (its tail from the fork step on). Everything else
    /// (task, model, data, batch size, optimizer, seed, clipping, divergence, early stopping) decides what the parent's
    /// steps before the fork were, or is restored from the parent's checkpoint, so a change would make the prefix a lie.</summary>
    public static readonly IReadOnlyList<string> MayChangeOnFork = ["schedule"];

    /// <summary>Keys a fork may change: the resumable ones and <see cref="MayChangeOnFork"/>.</summary>
    public static IEnumerable<string> ForkableKeys => MayChangeOnResume.Where(k => k is not ("out" or "forked_from")).Concat(MayChangeOnFork);

    /// <summary>The training-relevant keys as JSON (what a checkpoint stores).</summary>
    public static JsonObject Relevant(RunConfig config)
    {
        JsonObject all = JsonNode.Parse(RunConfigJson.Serialize(config))!.AsObject();
        foreach (string key in MayChangeOnResume) all.Remove(key);
        return all;
    }

    /// <summary>SHA-256 of <see cref="Relevant"/> (a short identity for logs and state.json), with the model block
    /// in its old flat layout (<see cref="LegacyModelLayout.Flatten"/>) so that unchanged runs keep their hash.</summary>
    public static string Of(RunConfig config) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(LegacyModelLayout.Flatten(Relevant(config)).ToJsonString())));

    /// <summary>Dotted keys whose values differ between a recorded configuration and the current one, each with
    /// both values, e.g. <c>optimizer.lr (0.1 → 0.2)</c>. The recorded one is read as a configuration first, when it
    /// reads, so a checkpoint written by an older version compares as that version's run: its model keys of another
    /// kind (<see cref="LegacyModelLayout"/>) and keys added since (taking their defaults) are no change.</summary>
    public static IReadOnlyList<string> ChangedKeys(JsonObject recorded, RunConfig current)
    {
        var before = Flatten(AsCurrentVersion(recorded));
        var after = Flatten(Relevant(current));
        return [.. before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k => $"{k} ({before.GetValueOrDefault(k) ?? "absent"} → {after.GetValueOrDefault(k) ?? "absent"})")];
    }

    static JsonObject AsCurrentVersion(JsonObject recorded)
    {
        try
        {
            return Relevant(RunConfigJson.Parse(recorded.ToJsonString(), "the checkpoint's configuration"));
        }
        catch (ArgumentException)
        {
            // A recorded key the current version refuses: compare key by key, which names it.
            return recorded;
        }
    }

    /// <summary>The changed keys (as <see cref="ChangedKeys"/>) that a fork may not change: all but the schedule's.</summary>
    public static IReadOnlyList<string> ChangedKeysRefusedByFork(JsonObject recorded, RunConfig fork) =>
        [.. ChangedKeys(recorded, fork).Where(k => !MayChangeOnFork.Any(allowed => k.StartsWith(allowed + " ", StringComparison.Ordinal) || k.StartsWith(allowed + ".", StringComparison.Ordinal)))];

    /// <summary>Dotted key → the leaf's JSON text (an empty object counts as one leaf).</summary>
    internal static Dictionary<string, string?> Flatten(JsonNode? node, string prefix = "", Dictionary<string, string?>? into = null)
    {
        into ??= [];
        if (node is JsonObject obj && obj.Count > 0)
            foreach (var (key, child) in obj) Flatten(child, prefix.Length == 0 ? key : $"{prefix}.{key}", into);
        else
            into[prefix] = node?.ToJsonString();
        return into;
    }
}
