using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrainKit.IO;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;

namespace TrainKit.Training.Experiments;

/// <summary>
/// Lays out an experiment on disk and runs its cells: <c>OUT/experiment.json</c>, then one folder per cell
/// under <c>OUT/cells/NAME/</c> holding the run and, once the cell is finished, <c>done.json</c> (written
/// last, by rename). Finished cells are skipped, unfinished ones resume from their last checkpoint, so a
/// killed sweep continues where it stopped. Shards write disjoint cell folders into one shared OUT.
/// </summary>
public sealed partial class Sweep(ExperimentSpec spec, string outDirectory)
{
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial System.Text.RegularExpressions.Regex SafeVariantName();

    public const string DoneFile = "done.json";
    public ExperimentSpec Spec => spec;
    public string OutDirectory => outDirectory;

    public IReadOnlyList<Cell> Cells()
    {
        if (spec.Variants.Count == 0) throw new ArgumentException($"experiment '{spec.Name}' has no variants");
        if (spec.Seeds.Count == 0) throw new ArgumentException($"experiment '{spec.Name}' has no seeds");
        var duplicate = spec.Variants.GroupBy(v => v.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"experiment '{spec.Name}' names variant '{duplicate.Key}' twice");
        // Variant names become folder names under cells/: a path ("../..", "/tmp/x") would write outside the sweep.
        var unsafeName = spec.Variants.FirstOrDefault(v => v.Name is null || !SafeVariantName().IsMatch(v.Name));
        if (unsafeName is not null)
            throw new ArgumentException($"experiment '{spec.Name}': variant name '{unsafeName.Name}' must be letters, digits, '.', '_' or '-' (it names a folder), not a path");
        var seedTwice = spec.Seeds.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
        if (seedTwice is not null) throw new ArgumentException($"experiment '{spec.Name}' lists seed {seedTwice.Key} twice (it would count one run as two)");
        var cells = new List<Cell>();
        foreach (long seed in spec.Seeds)
            foreach (VariantSpec variant in spec.Variants)
                cells.Add(new Cell(cells.Count, variant.Name, seed, Resolve(variant, seed)));
        return cells;
    }

    RunConfig Resolve(VariantSpec variant, long seed)
    {
        JsonObject merged = JsonNode.Parse(RunConfigJson.Serialize(spec.Base))!.AsObject();
        if (variant.Overrides is not null)
        {
            Merge(merged, variant.Overrides);
            // A variant naming another kind of model than the base's: the base's keys for its own model do not carry over.
            if (variant.Overrides["model"] is JsonObject model && model.ContainsKey("name") && merged["model"] is JsonObject block)
                ModelKinds.DropInheritedKeys(block, [.. model.Select(p => p.Key)]);
        }
        if (variant.Schedule is not null) merged["schedule"] = variant.Schedule.DeepClone();
        merged["seed"] = seed;
        merged["out"] = null;
        RunConfig config = RunConfigJson.Parse(merged.ToJsonString(), $"experiment '{spec.Name}', variant '{variant.Name}'");
        return RunConfigValidator.Validate(config);
    }

    static void Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides)
        {
            if (value is JsonObject child && target[key] is JsonObject existing && key != "schedule") Merge(existing, child);
            else target[key] = value?.DeepClone();
        }
    }

    public string CellDirectory(Cell cell) => Path.Combine(outDirectory, "cells", cell.Name);

    public bool IsDone(Cell cell) => File.Exists(Path.Combine(CellDirectory(cell), DoneFile));

    /// <summary>
    /// A finished cell stands for the configuration it was trained with (its config.json): if the experiment now
    /// resolves the cell differently (an edited lr, schedule or base key), skipping it would report old results under
    /// the new spec, so this refuses, naming the cell and the changed keys. The run's length counts; keys that only
    /// say how often to log, evaluate or checkpoint, or on which device (<see cref="ConfigFingerprint"/>), do not.
    /// </summary>
    public void CheckFinishedMatches(Cell cell)
    {
        string path = Path.Combine(CellDirectory(cell), "config.json");
        RunConfig trained;
        try
        {
            trained = RunConfigJson.Load(path);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException)
        {
            throw new ArgumentException($"experiment '{spec.Name}': finished cell {cell.Name} has no readable configuration ({ex.Message}); " +
                $"move {CellDirectory(cell)} away to train it again", ex);
        }
        var changed = ConfigFingerprint.ChangedKeys(ConfigFingerprint.Relevant(trained), cell.Config).ToList();
        // Unlike a resume, a finished cell's length is part of its result: 10 steps do not stand for 20.
        if (trained.Steps != cell.Config.Steps) changed.Add(FormattableString.Invariant($"steps ({trained.Steps?.ToString(CultureInfo.InvariantCulture) ?? "absent"} → {cell.Config.Steps?.ToString(CultureInfo.InvariantCulture) ?? "absent"})"));
        else if (trained.Steps is null && trained.Epochs != cell.Config.Epochs) changed.Add(FormattableString.Invariant($"epochs ({trained.Epochs} → {cell.Config.Epochs})"));
        if (changed.Count > 0)
            throw new ArgumentException(
                $"experiment '{spec.Name}': finished cell {cell.Name} was trained with another configuration than the experiment now gives it: " +
                $"{string.Join(", ", changed)}; use a new --out for the edited experiment, or move {CellDirectory(cell)} away to retrain that cell");
    }

    /// <summary>Writes the cell's done.json (last, by rename): the cell counts as finished from here on.</summary>
    public void MarkDone(Cell cell) =>
        AtomicFile.WriteAllText(Path.Combine(CellDirectory(cell), DoneFile),
            JsonSerializer.Serialize(new { cell = cell.Name, cell.Index, cell.Variant, cell.Seed, finished = DateTime.UtcNow }, RunConfigJson.Options));

    /// <summary>Writes OUT/experiment.json (identical for every shard, so concurrent writers agree).</summary>
    public void WriteLayout()
    {
        AtomicFile.WriteAllText(Path.Combine(outDirectory, "experiment.json"), JsonSerializer.Serialize(spec, RunConfigJson.Options));
    }

    public static ExperimentSpec ReadLayout(string outDirectory)
    {
        string path = Path.Combine(outDirectory, "experiment.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"{outDirectory} is not a sweep folder: no experiment.json", path);
        return LoadSpec(path);
    }

    /// <summary>Reads an experiment file (a custom grid, or a sweep's own experiment.json).</summary>
    public static ExperimentSpec LoadSpec(string path)
    {
        InputFile.RequireRegular(path, "experiment file", InputFile.MaxConfigFileBytes);
        try
        {
            return JsonSerializer.Deserialize<ExperimentSpec>(File.ReadAllText(path), RunConfigJson.Options)
                ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException ex)
        {
            // Named like a run config's errors: the dotted key, and for a choice the allowed values.
            throw new InvalidDataException($"{path}: {RunConfigJson.Describe(ex)}", ex);
        }
    }

    /// <summary>Runs every unfinished cell this shard owns, in order; <paramref name="runCell"/> trains (resuming
    /// if the folder holds a checkpoint) and analyses one cell in its folder.</summary>
    public SweepOutcome Run(Shard shard, Action<Cell, string> runCell, Action<Cell, CellState>? onCell = null)
    {
        WriteLayout();
        int ran = 0, skipped = 0;
        foreach (Cell cell in Cells().Where(shard.Owns))
        {
            if (IsDone(cell))
            {
                CheckFinishedMatches(cell);
                skipped++;
                onCell?.Invoke(cell, CellState.Skipped);
                continue;
            }
            string folder = CellDirectory(cell);
            // One writer per cell, held from training to done.json (a second runner exits 2 naming the holder's PID).
            using (RunFolderLock.Acquire(folder, RunFolderLock.CellLockFile, "sweep cell"))
            {
                onCell?.Invoke(cell, CellState.Started);
                runCell(cell, folder);
                MarkDone(cell);
            }
            ran++;
            onCell?.Invoke(cell, CellState.Finished);
        }
        return new SweepOutcome(ran, skipped);
    }
}

public enum CellState { Skipped, Started, Finished }

public sealed record SweepOutcome(int Ran, int Skipped);
