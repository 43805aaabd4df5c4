using TrainKit.Sweeps.Store;
using TrainKit.Sweeps.Workers;
using TrainKit.Training.Loop;
using TrainKit.Training.Metrics;

namespace TrainKit.Sweeps.Pruning;

/// <summary>ASHA inside a training trial: at the first evaluation at or after each rung, reports the metric to the
/// store and stops the trial (pruned) if it falls below the rung's cut-off. A resumed trial that crosses a rung it
/// already reported keeps the decision taken then. With Hyperband brackets the trial reports only at its bracket's
/// rungs and is judged only against the trials of its bracket (<see cref="TrialRecord.Bracket"/>).</summary>
public sealed class RungReporter(TrialStore store, AshaConfig asha, TrialRecord trial, string folder)
{
    readonly IReadOnlyList<double> _rungs = asha.Rungs();

    public void Check(TrainingProgress progress)
    {
        var rows = MetricsLog.Read(folder);
        if (rows.Count == 0) return;
        var row = rows[^1];
        if (row["step"]?.GetValue<long>() != progress.Step || row[asha.Metric] is null) return;
        double resource = asha.Unit == "epochs" ? row["epoch"]!.GetValue<double>() : progress.Step;
        double metric = row[asha.Metric]!.GetValue<double>();
        var reported = store.Rungs(trial.Sweep);
        for (int rung = trial.Bracket; rung < _rungs.Count; rung++)
        {
            if (resource < _rungs[rung] - 1e-9) break;
            if (reported.FirstOrDefault(r => r.TrialId == trial.Id && r.Rung == rung) is { } earlier)
            {
                if (earlier.Decision == "pruned") throw new TrialStoppedException($"{trial.Name}: pruned at rung {rung}", pruned: true);
                continue;
            }
            var recorded = AshaRule.SameBracket(metric, trial.Bracket, rung, reported);
            bool keep = AshaRule.Keep(metric, recorded, asha.ReductionFactor, asha.Maximize);
            store.ReportRung(new RungReport(trial.Id, rung, resource, metric, keep ? "promoted" : "pruned", trial.Bracket));
            if (!keep)
                throw new TrialStoppedException(FormattableString.Invariant(
                    $"{trial.Name}: pruned at rung {rung} ({asha.Unit} {resource:0.##}): {asha.Metric} {metric:0.####} below the top 1/{asha.ReductionFactor} of {recorded.Count}{(asha.Brackets > 1 ? $" in bracket {trial.Bracket}" : "")}"), pruned: true);
        }
    }
}
