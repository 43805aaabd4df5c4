using TrainKit.Analysis;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;

namespace TrainKit.Training.Experiments;

/// <summary>
/// Checks every cell of a sweep before the first one trains, so a bad variant or analysis budget is exit 2 at
/// once instead of an error after hours of training. <see cref="Sweep.Cells"/> already parses and validates each
/// cell's config; what needs the run's length (a warmup longer than the run, WSD phases past the end) is checked
/// here by building each cell's schedule exactly as the trainer will, with the task's real steps per epoch.
/// </summary>
public static class SweepPreflight
{
    /// <param name="stepsPerEpoch">The task's batches per epoch for a cell's config (the CLI builds the task once per
    /// distinct task, data and batch size).</param>
    public static void Check(ExperimentSpec spec, IEnumerable<Cell> cells, Func<RunConfig, long> stepsPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Analyze) AnalysisPresets.Named(spec.AnalysisBudget);
        var perEpoch = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Cell cell in cells)
        {
            RunConfig config = cell.Config;
            string key = $"{config.Task}|{config.Data}|{config.BatchSize}";
            if (!perEpoch.TryGetValue(key, out long steps)) perEpoch[key] = steps = stepsPerEpoch(config);
            try
            {
                ScheduleBinding.Check(config.Schedule, config.Optimizer.Lr, config.TotalSteps(steps), config.WholeStepsPerEpoch(steps));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"experiment '{spec.Name}', cell {cell.Name}: schedule {config.Schedule.Kind}: {ex.Message}", ex);
            }
        }
    }
}
