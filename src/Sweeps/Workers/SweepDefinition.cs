using System.Text.Json;
using TrainKit.Sweeps.Pruning;
using TrainKit.Sweeps.Store;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;

namespace TrainKit.Sweeps.Workers;

/// <summary>What a sweep row in the store holds, so a worker on any machine needs only the store URL: the
/// experiment (its cells are the trials) and the pruner, if any.</summary>
public sealed record SweepDefinition(ExperimentSpec Experiment, AshaConfig? Asha = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, RunConfigJson.Options);

    public static SweepDefinition FromJson(string json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<SweepDefinition>(json, RunConfigJson.Options)
                ?? throw new InvalidDataException($"{where}: empty sweep definition");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{where}: the sweep definition does not parse ({ex.Message})", ex);
        }
    }

    /// <summary>Registers the sweep and one pending trial per cell (idempotent, see <see cref="TrialStore.AddSweep"/>),
    /// each in its Hyperband bracket when the pruner has brackets; returns the sweep folder's cells.</summary>
    public IReadOnlyList<Cell> Register(TrialStore store, string outDirectory)
    {
        Asha?.Validate();
        var sweep = new Sweep(Experiment, outDirectory);
        var cells = sweep.Cells();
        sweep.WriteLayout();
        store.AddSweep(new SweepRecord(Experiment.Name, StoredJson(store), Path.GetFullPath(outDirectory)),
            cells.Select(c => new NewTrial(c.Name, c.Index, c.Variant, c.Seed, RunConfigJson.Serialize(c.Config), Asha?.BracketOf(c.Index) ?? 0)));
        return cells;
    }

    /// <summary>The text to register: <see cref="ToJson"/>, or the store's own text for this sweep when an older
    /// version wrote it in that version's layout (the flat model block, keys added since missing) and it reads back
    /// as this same definition, so that a restarted sweep continues across versions instead of being refused.</summary>
    string StoredJson(TrialStore store)
    {
        string json = ToJson();
        if (store.Sweeps().FirstOrDefault(s => s.Name == Experiment.Name) is not { } stored || stored.SpecJson == json) return json;
        try
        {
            return FromJson(stored.SpecJson, "the stored sweep").ToJson() == json ? stored.SpecJson : json;
        }
        catch (InvalidDataException)
        {
            return json; // not readable as a definition: AddSweep refuses it as a different sweep
        }
    }
}
