using System.Text.Json;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;

namespace TrainKit.Sweeps.Pruning;

/// <summary>Reads an ASHA block (`compare --asha FILE.json`, snake_case like every config) and checks it against the
/// cells it will prune before any of them trains: the metric must be one the trainer logs for these cells, and the
/// cells must evaluate often enough to reach every rung (a rung is judged at the first evaluation at or after it),
/// each cell against the rungs of its own Hyperband bracket.</summary>
public static class AshaFile
{
    static readonly string[] Columns = ["eval_loss", "accuracy", "perplexity"];

    public static AshaConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"asha file not found: {path}", path);
        try
        {
            return (JsonSerializer.Deserialize<AshaConfig>(File.ReadAllText(path), RunConfigJson.Options)
                ?? throw new InvalidDataException($"{path} is empty")).Validate();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Throws an ArgumentException naming the first cell the block cannot prune; returns the block.</summary>
    public static AshaConfig CheckCells(this AshaConfig asha, IEnumerable<Cell> cells, Func<RunConfig, long> stepsPerEpoch)
    {
        asha.Validate();
        string[] parts = asha.Metric.Split('_', 2);
        if (parts.Length != 2 || parts[0] is not ("train" or "validation") || !Columns.Contains(parts[1]))
            throw new ArgumentException($"asha.metric '{asha.Metric}' is not a metric ASHA can read: use train_ or validation_ with {string.Join(", ", Columns)} (e.g. validation_accuracy, train_eval_loss)");
        foreach (Cell cell in cells)
        {
            if (parts[0] == "validation" && cell.Config.Data.ValidationFraction == 0)
                throw new ArgumentException($"asha.metric '{asha.Metric}' needs a validation split, but cell {cell.Name} has data.validation_fraction 0");
            // Per bracket: a cell reports at its own bracket's rungs only, so its first rung is the one it must
            // evaluate for; a cell of a bracket without rungs is never judged and runs to its end.
            int bracket = asha.BracketOf(cell.Index);
            var rungs = asha.RungsOf(bracket);
            if (rungs.Count == 0) continue;
            string where = asha.Brackets > 1 ? $"cell {cell.Name} (bracket {bracket})" : $"cell {cell.Name}";
            long perEpoch = stepsPerEpoch(cell.Config);
            long total = cell.Config.TotalSteps(perEpoch);
            double toSteps = asha.Unit == "epochs" ? perEpoch : 1;
            double last = asha.Rungs()[rungs[^1]], first = asha.Rungs()[rungs[0]];
            if (last * toSteps > total)
                throw new ArgumentException(FormattableString.Invariant(
                    $"asha: rung at {last} {asha.Unit} is step {last * toSteps:0}, past the {total} steps of {where}: lower asha.min_resource or max_resource"));
            if (cell.Config.EvalEvery <= 0 || cell.Config.EvalEvery > first * toSteps)
                throw new ArgumentException(FormattableString.Invariant(
                    $"asha: {where} evaluates every {cell.Config.EvalEvery} steps, less often than its first rung ({first} {asha.Unit} = {first * toSteps:0} steps): set eval_every ≤ {Math.Max(1, (long)(first * toSteps))}"));
        }
        return asha;
    }
}
