using System.Text.Json.Nodes;

namespace TrainKit.Training.Config;

/// <summary>
/// A run configuration as hyperparameter values, for asking which keys a set of configurations differ in (the axes
/// of Jiang et al. 2020's granulated τ). Every leaf is a dotted key (<c>optimizer.lr</c>, <c>model.width</c>, the
/// run length <c>steps</c>/<c>epochs</c>) except the schedule block, which is one value: its kind and parameters
/// change together, so splitting it would give axes no two configurations share. The seed and the keys that do not
/// change training (logging, evaluation, checkpoint and probe frequency, snapshots, device, out) are left out.
/// </summary>
public static class HyperparameterAxes
{
    static readonly string[] NotHyperparameters =
        ["seed", "log_every", "eval_every", "checkpoint_every", "snapshot_epochs", "probe_every", "probe_examples", "device", "out"];

    public const string Schedule = "schedule";

    /// <summary>Dotted key → the value's JSON text.</summary>
    public static IReadOnlyDictionary<string, string> Values(RunConfig config)
    {
        JsonObject all = JsonNode.Parse(RunConfigJson.Serialize(config))!.AsObject();
        foreach (string key in NotHyperparameters) all.Remove(key);
        string schedule = all[Schedule]?.ToJsonString() ?? "null";
        all.Remove(Schedule);
        var values = ConfigFingerprint.Flatten(all).ToDictionary(kv => kv.Key, kv => kv.Value ?? "null");
        values[Schedule] = schedule;
        return values;
    }

    /// <summary>The keys whose values are not the same in every configuration, in ordinal order.</summary>
    public static IReadOnlyList<string> Differing(IReadOnlyList<IReadOnlyDictionary<string, string>> configurations) =>
        [.. configurations.SelectMany(c => c.Keys).Distinct().Order(StringComparer.Ordinal)
            .Where(key => configurations.Select(c => c.GetValueOrDefault(key, "absent")).Distinct().Count() > 1)];
}
