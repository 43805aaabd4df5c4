using System.Text.Json;
using TrainKit.Sweeps.Pruning;
using TrainKit.Sweeps.Store;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;
using TrainKit.Training.Loop;

namespace TrainKit.Sweeps.Workers;

/// <summary>
/// Pulls trials from the store until none is left: claim one, train it in its cell folder under a renewed lease
/// (resuming from the folder's last checkpoint when an earlier attempt was killed), mark it done, pruned or failed.
/// While other workers still hold trials it keeps polling, so a trial whose worker died is claimed again once its
/// lease expires. Each attempt appends a line to the cell's <c>attempts.jsonl</c> (worker, attempt, the checkpoint
/// step it resumed from), the evidence that a killed cell resumed rather than restarted.
/// </summary>
public sealed class SweepWorker(TrialStore store, SweepRecord sweepRecord, WorkerOptions options)
{
    public const string AttemptsFile = "attempts.jsonl";
    readonly SweepDefinition _definition = SweepDefinition.FromJson(sweepRecord.SpecJson, $"sweep '{sweepRecord.Name}' in {store.Describe}");

    public Action<string>? Log { get; set; }

    /// <summary>Called on every logged training step of the trial being trained (for progress bars).</summary>
    public Action<TrialRecord, TrainingProgress>? OnProgress { get; set; }

    string OutDirectory => options.OutDirectory ?? sweepRecord.OutDirectory;

    public WorkerOutcome Run(CancellationToken cancel = default)
    {
        var sweep = new Sweep(_definition.Experiment, OutDirectory);
        int done = 0, pruned = 0, failed = 0, lost = 0;
        while (!cancel.IsCancellationRequested)
        {
            TrialLease? lease = store.Claim(sweepRecord.Name, options.Id, options.Lease, options.MaxAttempts);
            if (lease is null)
            {
                if (store.Counts(sweepRecord.Name).Finished) break;
                cancel.WaitHandle.WaitOne(options.Poll);
                continue;
            }
            switch (RunTrial(sweep, lease))
            {
                case TrialState.Done: done++; break;
                case TrialState.Pruned: pruned++; break;
                case TrialState.Failed or TrialState.Pending: failed++; break;
                default: lost++; break;
            }
        }
        return new WorkerOutcome(done, pruned, failed, lost);
    }

    /// <summary>Trains one claimed trial; returns the state it was left in, or Running if the lease was lost.</summary>
    TrialState RunTrial(Sweep sweep, TrialLease lease)
    {
        TrialRecord trial = lease.Trial;
        var cell = new Cell(trial.Position, trial.Variant, trial.Seed,
            RunConfigJson.Parse(trial.ConfigJson, $"trial '{trial.Name}' of sweep '{sweepRecord.Name}'"));
        string folder = sweep.CellDirectory(cell);
        Directory.CreateDirectory(folder);
        long? resumedFrom = new CheckpointStore(folder).Latest()?.Step;
        File.AppendAllText(Path.Combine(folder, AttemptsFile), JsonSerializer.Serialize(new
        {
            attempt = lease.Attempt,
            worker = options.Id,
            resumed_from_step = resumedFrom,
            started = DateTime.UtcNow,
        }) + "\n");
        Log?.Invoke($"{trial.Name}: attempt {lease.Attempt}" + (resumedFrom is long s ? $", resuming from step {s}" : ""));

        using var keeper = new LeaseKeeper(store, lease, options.Lease, Log);
        try
        {
            // A previous holder may have finished the cell and died before telling the store.
            if (!sweep.IsDone(cell))
            {
                var pruner = _definition.Asha is { } asha ? new RungReporter(store, asha, trial, folder) : null;
                CellRunner.Run(_definition.Experiment, cell, folder, progress =>
                {
                    if (keeper.Lost) throw new TrialStoppedException($"{trial.Name}: lease lost at step {progress.Step}", pruned: false);
                    pruner?.Check(progress);
                    OnProgress?.Invoke(trial, progress);
                });
                if (keeper.Lost) return Lost(trial);
                sweep.MarkDone(cell);
            }
            if (!store.Complete(lease)) return Lost(trial);
            Log?.Invoke($"{trial.Name}: done");
            return TrialState.Done;
        }
        catch (TrialStoppedException stop) when (stop.Pruned)
        {
            Log?.Invoke(stop.Message);
            return store.Prune(lease) ? TrialState.Pruned : Lost(trial);
        }
        catch (TrialStoppedException)
        {
            return Lost(trial);
        }
        catch (Exception ex)
        {
            TrialState? next = store.Fail(lease, $"{ex.GetType().Name}: {ex.Message}", options.MaxAttempts);
            Log?.Invoke($"{trial.Name}: attempt {lease.Attempt} failed ({ex.Message}); " +
                (next switch { TrialState.Pending => "it will be retried", TrialState.Failed => "no attempts left: failed", _ => "the lease was lost meanwhile" }));
            return next ?? TrialState.Running;
        }
    }

    TrialState Lost(TrialRecord trial)
    {
        Log?.Invoke($"{trial.Name}: lease lost; the worker now holding it resumes it");
        return TrialState.Running;
    }
}

/// <summary>What one worker did: trials it finished, pruned, failed (or returned for a retry), and lost to lease expiry.</summary>
public sealed record WorkerOutcome(int Done, int Pruned, int Failed, int LeasesLost);
