using System.Globalization;
using TrainKit.Training.Config;
using TrainKit.Training.Data;
using TrainKit.Training.Experiments;
using TrainKit.Training.Tasks;

namespace TrainKit.Training.Reports;

/// <summary>One run `trainkit correlate` uses: its cell, the configuration it belongs to (sweep and variant: its seeds
/// are runs of one configuration) and that configuration's hyperparameter values.</summary>
public sealed record CorrelationRun(string Sweep, string Configuration, CellRecord Cell, IReadOnlyDictionary<string, string> Hyperparameters);

/// <summary>Why a finished cell was left out.</summary>
public enum Exclusion { NoSummary, Diverged, AtChance, NeverReachedStop, NoAnalysis }

public sealed record ExcludedRun(string Sweep, string Cell, Exclusion Reason, string Detail);

/// <summary>The analysis budget and subset a cell's figures were computed with.</summary>
public sealed record AnalysisBudget(string Budget, long? Examples)
{
    public override string ToString() => $"budget {Budget}, {(Examples is long n ? n.ToString(CultureInfo.InvariantCulture) : "unknown")} analysis examples";
}

/// <summary>
/// The runs of several sweeps that Jiang et al. 2020's protocol keeps, and the ones it leaves out (each with its
/// reason, in this order): no summary, diverged, stuck at chance, never reached the stopping train loss, no
/// analysis. Cells analysed with different budgets or subset sizes are refused unless pooling is asked for.
/// </summary>
public sealed record CorrelationSelection(IReadOnlyList<string> Sweeps, IReadOnlyList<CorrelationRun> Runs, IReadOnlyList<ExcludedRun> Excluded,
    IReadOnlyList<string> Axes, IReadOnlyList<(string Sweep, AnalysisBudget Budget)> Budgets)
{
    public static CorrelationSelection Load(IReadOnlyList<string> sweepDirectories, CorrelationOptions options)
    {
        if (sweepDirectories.Count == 0) throw new ArgumentException("give at least one sweep folder");
        var names = sweepDirectories.Select(d => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(d)))).ToList();
        var twice = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new ArgumentException($"two sweep folders are named '{twice.Key}' (or one is given twice): its runs would count twice or their configurations would mix; rename one");

        var runs = new List<(string Sweep, CellRecord Cell, RunConfig Config, AnalysisBudget Budget)>();
        var excluded = new List<ExcludedRun>();
        foreach (var (directory, name) in sweepDirectories.Zip(names))
        {
            var sweep = new Sweep(Sweep.ReadLayout(directory), directory);
            foreach (var cell in sweep.Cells().Where(sweep.IsDone))
            {
                string folder = sweep.CellDirectory(cell);
                var record = CellRecord.Load(folder, cell.Variant, cell.Seed);
                string configPath = Path.Combine(folder, "config.json");
                var config = File.Exists(configPath) ? RunConfigJson.Load(configPath) : cell.Config;
                var reason = Exclude(record, config, options);
                if (reason is not null) excluded.Add(new ExcludedRun(name, record.Name, reason.Value.Reason, reason.Value.Detail));
                else runs.Add((name, record, config, BudgetOf(sweep.Spec, record)));
            }
        }

        var budgets = runs.Select(r => (r.Sweep, r.Budget)).Distinct().ToList();
        if (!options.PoolBudgets && budgets.Select(b => b.Budget).Distinct().Count() > 1)
            throw new ArgumentException("the sweeps' cells were analysed with different budgets or subset sizes, so their figures do not compare: " +
                string.Join("; ", budgets.Select(b => $"{b.Sweep}: {b.Budget}")) + ". Correlate them separately, or pass --pool-budgets to pool them anyway");

        var configurations = runs.GroupBy(r => Configuration(r.Sweep, r.Cell.Variant))
            .ToDictionary(g => g.Key, g => HyperparameterAxes.Values(g.First().Config));
        var axes = HyperparameterAxes.Differing([.. configurations.Values]);
        var used = runs.Select(r =>
        {
            string id = Configuration(r.Sweep, r.Cell.Variant);
            return new CorrelationRun(r.Sweep, id, r.Cell, axes.ToDictionary(a => a, a => configurations[id].GetValueOrDefault(a, "absent")));
        }).ToList();
        return new CorrelationSelection(names, used, excluded, axes, budgets);
    }

    static string Configuration(string sweep, string variant) => $"{sweep}/{variant}";

    static (Exclusion Reason, string Detail)? Exclude(CellRecord cell, RunConfig config, CorrelationOptions options)
    {
        if (cell.Diverged) return (Exclusion.Diverged, "diverged.json");
        if (cell.Summary is null) return (Exclusion.NoSummary, "no summary.json");
        double? accuracy = CellRecord.Number(cell.Summary, "test.accuracy");
        if (ChanceAccuracy(config) is double chance && accuracy is double a && a <= chance + options.ChanceMargin)
            return (Exclusion.AtChance, string.Create(CultureInfo.InvariantCulture, $"test accuracy {a:0.0000} ≤ chance {chance:0.####} + {options.ChanceMargin:0.####}"));
        double? trainLoss = CellRecord.Number(cell.Summary, "train.loss");
        if (options.StopAtTrainLoss is double stop && !(trainLoss <= stop))
            return (Exclusion.NeverReachedStop, trainLoss is double l
                ? string.Create(CultureInfo.InvariantCulture, $"final train loss {l:0.0000} > {stop:0.####}")
                : "no final train loss");
        if (cell.Analysis is null) return (Exclusion.NoAnalysis, "no analysis.json");
        return null;
    }

    /// <summary>1/classes for classifiers (the dataset's class count); null for the language model, which has no accuracy.</summary>
    static double? ChanceAccuracy(RunConfig config) =>
        config.Task == TrainingTaskKind.TransformerText ? null : 1.0 / KnownDatasets.Get(ImageClassificationTask.DatasetName(config)).NumClasses;

    static AnalysisBudget BudgetOf(ExperimentSpec spec, CellRecord cell) =>
        new(spec.Analyze ? spec.AnalysisBudget : "none",
            (long?)(CellRecord.Number(cell.Analysis, "subset.examples") ?? CellRecord.Number(cell.Analysis, "model.analysis_examples")));
}
