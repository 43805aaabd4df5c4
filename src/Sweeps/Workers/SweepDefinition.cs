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

    /// <summary>Registers the sweep and one pending trial per cell (idempotent, see <see cref="TrialStore.AddSweep"/>);
    /// returns the sweep folder's cells.</summary>
    public IReadOnlyList<Cell> Register(TrialStore store, string outDirectory)
    {
        Asha?.Validate();
        var sweep = new Sweep(Experiment, outDirectory);
        var cells = sweep.Cells();
        sweep.WriteLayout();
        store.AddSweep(new SweepRecord(Experiment.Name, ToJson(), Path.GetFullPath(outDirectory)),
            cells.Select(c => new NewTrial(c.Name, c.Index, c.Variant, c.Seed, RunConfigJson.Serialize(c.Config))));
        return cells;
    }
}
