using System.Text.Json.Nodes;
using TrainKit.Schedulers.Config;

namespace TrainKit.Explorer.Schedules;

/// <summary>
/// Adapter for what the scheduler metadata does not carry: a sensible first value for a required
/// parameter (it has no default by design, e.g. T_max or total_steps). Chosen from the parameter's unit
/// and the run length so any kind draws a meaningful curve the moment it is picked; the user then edits it.
/// </summary>
public static class StarterValues
{
    /// <remarks>Numbers are doubles on purpose: the library reads every number as a double.</remarks>
    public static JsonNode? For(KindInfo kind, ParamInfo p, int steps) => p.Type switch
    {
        // Alternatives ("one of min_lr, min_lr_rate"): giving both is an error, so only the last one named starts filled.
        _ when p.DefaultNote is { } note && note.StartsWith("one of ", StringComparison.Ordinal)
            && note["one of ".Length..].Split(", ")[^1] != p.Name => null,
        ParamType.Schedules => new JsonArray(
            new JsonObject { ["kind"] = "LinearLR", ["start_factor"] = 0.1, ["end_factor"] = 1.0, ["total_iters"] = (double)(steps / 10) },
            new JsonObject { ["kind"] = "CosineAnnealingLR", ["T_max"] = (double)(steps - steps / 10) }),
        // SequentialLR: one milestone per hand-over between its children (the two above).
        ParamType.NumberList when kind.Parameters.Any(q => q.Type == ParamType.Schedules) => new JsonArray((double)(steps / 10)),
        ParamType.NumberList => new JsonArray((double)(steps / 2), (double)(3 * steps / 4)),
        _ => p.Unit switch
        {
            ParamUnit.Time => TimeValue(p.Name, steps),
            ParamUnit.Lr => p.Name == "base_lr" ? 0.01 : 0.1,
            ParamUnit.Ratio => 0.1,
            ParamUnit.Factor or ParamUnit.PerTime => p.Name == "gamma" ? 0.99 : 1.0,
            ParamUnit.Count => p.Name == "d_model" ? 512.0 : 1.0,
            _ => p.Min is { } min ? min : 0.0,
        },
    };

    static JsonNode TimeValue(string name, int steps) => (double)(name switch
    {
        // HF's get_scheduler names (num_*) start where the PyTorch-style names do.
        "warmup_steps" or "num_warmup_steps" => Math.Max(1, steps / 10),
        "stable_steps" or "num_stable_steps" => steps / 2,
        "decay_steps" or "num_decay_steps" => steps - steps / 10 - steps / 2,
        "T_0" => Math.Max(1, steps / 4),
        "step_size" => Math.Max(1, steps / 4),
        _ => steps,
    });
}
