using System.Text.Json;
using System.Text.Json.Nodes;
using TrainKit.Schedulers.Config;
using TrainKit.Sweeps.Pruning;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;

namespace TrainKit.Sweeps.Tuning;

/// <summary>One schedule kind the search may pick, with a distribution per searched parameter and fixed values for
/// the rest (passed to the kind as given).</summary>
public sealed record ScheduleChoice(string Kind, Dictionary<string, Distribution>? Params = null, JsonObject? Fixed = null);

/// <summary>
/// A `trainkit tune` search space (SPACE.json, snake_case): a base run config, the schedule kinds to pick from (each
/// trial picks one uniformly, then draws its parameters), distributions over any run-config key by dotted path (the
/// overrides experiment variants use, e.g. <c>optimizer.lr</c>, <c>optimizer.weight_decay</c>), the metric trials are
/// ranked on and, optionally, the ASHA block that prunes them.
/// </summary>
public sealed record SearchSpace
{
    public required string Name { get; init; }
    public RunConfig Base { get; init; } = new();
    public List<ScheduleChoice> Schedules { get; init; } = [];
    public Dictionary<string, Distribution> Overrides { get; init; } = [];
    /// <summary>A metrics.jsonl eval column (train_ or validation_, never test_), read at each trial's last evaluation.</summary>
    public string Metric { get; init; } = "validation_accuracy";
    public string Mode { get; init; } = "max";
    public AshaConfig? Asha { get; init; }

    public static SearchSpace Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"search space file not found: {path}", path);
        try
        {
            return (JsonSerializer.Deserialize<SearchSpace>(File.ReadAllText(path), RunConfigJson.Options)
                ?? throw new InvalidDataException($"{path} is empty")).Validate();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    public SearchSpace Validate()
    {
        if (Schedules.Count == 0) throw new ArgumentException("schedules: name at least one schedule kind to search");
        foreach (var (choice, i) in Schedules.Select((c, i) => (c, i)))
        {
            KindInfo info;
            try { info = ScheduleCatalog.Describe(choice.Kind); }
            catch (ArgumentException) { throw new ArgumentException($"schedules[{i}].kind: unknown schedule '{choice.Kind}' (see `trainkit schedule --list`)"); }
            var known = info.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, distribution) in choice.Params ?? [])
            {
                if (!known.Contains(name)) throw new ArgumentException($"schedules[{i}].params.{name}: {info.Name} has no parameter '{name}' (it has: {string.Join(", ", known)})");
                distribution.Validate($"schedules[{i}].params.{name}");
            }
            foreach (var (name, _) in choice.Fixed ?? [])
                if (!known.Contains(name)) throw new ArgumentException($"schedules[{i}].fixed.{name}: {info.Name} has no parameter '{name}' (it has: {string.Join(", ", known)})");
        }
        foreach (var (key, distribution) in Overrides)
        {
            if (key == "schedule" || key.StartsWith("schedule.", StringComparison.Ordinal))
                throw new ArgumentException($"overrides.{key}: search the schedule through schedules[].params");
            distribution.Validate($"overrides.{key}");
        }
        if (Mode is not ("max" or "min")) throw new ArgumentException($"mode must be max or min, got '{Mode}'");
        // Ranking on the test split would select on it: the same rule as ASHA's.
        string[] parts = Metric.Split('_', 2);
        if (parts.Length != 2 || parts[0] is not ("train" or "validation") || parts[1] is not ("eval_loss" or "accuracy" or "perplexity"))
            throw new ArgumentException($"metric '{Metric}': rank on a train_ or validation_ eval column (eval_loss, accuracy, perplexity), never test_");
        Asha?.Validate();
        return this;
    }

    /// <summary>Draws <paramref name="trials"/> trials with a seeded generator (same seed, same trials) as an experiment
    /// whose variants are the trials (t000, t001, …), all on <paramref name="seed"/>, so each trial is a store cell.</summary>
    public ExperimentSpec Sample(int trials, long seed)
    {
        if (trials < 1) throw new ArgumentException($"--trials must be at least 1, got {trials}");
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var variants = new List<VariantSpec>();
        for (int t = 0; t < trials; t++)
        {
            ScheduleChoice choice = Schedules[Math.Min(Schedules.Count - 1, (int)(random.NextDouble() * Schedules.Count))];
            var parameters = choice.Fixed?.DeepClone().AsObject() ?? [];
            foreach (var (name, distribution) in choice.Params ?? []) parameters[name] = distribution.Sample(random);
            var schedule = Base.Schedule is { } b
                ? JsonNode.Parse(JsonSerializer.Serialize(b, RunConfigJson.Options))!.AsObject()
                : [];
            schedule["kind"] = choice.Kind;
            schedule["params"] = parameters;
            var overrides = new JsonObject();
            foreach (var (key, distribution) in Overrides) Set(overrides, key, distribution.Sample(random));
            variants.Add(new VariantSpec($"t{t:000}", schedule, overrides));
        }
        return new ExperimentSpec { Name = Name, Base = Base, Variants = variants, Seeds = [seed], Analyze = false };
    }

    /// <summary>Refuses a ranking metric these cells will not log (a validation_ metric needs a validation split).</summary>
    public void CheckCells(IEnumerable<Cell> cells)
    {
        if (!Metric.StartsWith("validation_", StringComparison.Ordinal)) return;
        if (cells.FirstOrDefault(c => c.Config.Data.ValidationFraction == 0) is { } cell)
            throw new ArgumentException($"metric '{Metric}' needs a validation split, but trial {cell.Name} has data.validation_fraction 0");
    }

    static void Set(JsonObject target, string dottedKey, JsonNode? value)
    {
        string[] parts = dottedKey.Split('.');
        JsonObject node = target;
        foreach (string part in parts[..^1])
        {
            if (node[part] is not JsonObject child) { child = []; node[part] = child; }
            node = child;
        }
        node[parts[^1]] = value;
    }
}
