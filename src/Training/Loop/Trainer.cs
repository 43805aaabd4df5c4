using System.Diagnostics;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using TrainKit.IO;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;
using TrainKit.Training.Metrics;
using static TorchSharp.torch;

namespace TrainKit.Training.Loop;

/// <summary>What a run reports at every logged step (for progress bars).</summary>
public sealed record TrainingProgress(long Step, long TotalSteps, double Loss, double Lr, TimeSpan Elapsed)
{
    /// <summary>Training throughput over the logging interval that ends at this step.</summary>
    public double? ExamplesPerSecond { get; init; }

    /// <summary>The evaluation made at this step (metric name → value, e.g. test_accuracy), or null when none was.</summary>
    public IReadOnlyDictionary<string, double>? Evaluation { get; init; }
}

/// <summary>The outcome of a run, also written to RUN_DIR/summary.json.
/// TrainLoss is the loss of the last step (null if unknown); a non-finite evaluation is written as "NaN"/"Infinity".</summary>
public sealed record TrainingSummary(long Steps, double? TrainLoss, EvalResult Test, EvalResult Train, double Seconds, string RunDirectory)
{
    /// <summary>Where and why early stopping ended the run (null: it ran all its steps).</summary>
    public EarlyStop? EarlyStopping { get; init; }

    /// <summary>The final moving average of the weights on the test split (null, and not written, without <c>ema</c>).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public EvalResult? EmaTest { get; init; }

    internal static readonly System.Text.Json.JsonSerializerOptions Json = new(RunConfigJson.Options)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

/// <summary>
/// The training loop: forward, backward, clip, step, schedule, log, evaluate, checkpoint; every step and
/// evaluation inside a dispose scope. Resuming restores model, optimizer, scheduler and RNG from the newest
/// checkpoint and continues with the same batches, so the losses equal those of an uninterrupted run. A fork
/// (<see cref="RunConfig.ForkedFrom"/>) restores its parent's checkpoint the same way, then follows its own schedule tail.
/// With <see cref="RunConfig.Ema"/>, a moving average of the weights (<see cref="ModelEma"/>) follows every optimizer step,
/// is evaluated beside them as the <c>ema_*</c> splits and is checkpointed as its own part.
/// </summary>
public sealed class Trainer(RunConfig config, ITrainingTask task, Func<OptimizerHelper, long, IRunScheduler> makeScheduler, string runDirectory)
{
    public Action<TrainingProgress>? OnProgress { get; set; }

    /// <summary>Problems that do not stop the run but must not pass silently (e.g. an unreadable metrics line).</summary>
    public Action<string>? OnWarning { get; set; }

    /// <summary>The trainer of a run whose scheduler is built from its own schedule block.</summary>
    public static Trainer ForRun(RunConfig config, ITrainingTask task, string runDirectory) =>
        new(config, task, (optimizer, total) => ScheduleBinding.Create(config.Schedule, optimizer, total, WholeStepsPerEpoch(config, task)), runDirectory);

    long _scheduleSteps;
    EarlyStopping? _earlyStopping;
    // The newest in-loop evaluation (step, split → result): the run's last step always evaluates, so the summary reuses
    // it instead of evaluating the same weights again.
    (long Step, Dictionary<string, EvalResult> Results)? _lastEvaluation;
    ModelEma? _ema;

    /// <summary>The moving average of the weights, beside <c>model.bin</c> at the end of a run with <c>ema</c>.</summary>
    public const string EmaModelFile = "model_ema.bin";

    public long TotalSteps => config.TotalSteps(task.StepsPerEpoch);

    public static double StepsPerEpoch(RunConfig config, ITrainingTask task) => config.OptimizerStepsPerEpoch(task.StepsPerEpoch);

    static long WholeStepsPerEpoch(RunConfig config, ITrainingTask task) => config.WholeStepsPerEpoch(task.StepsPerEpoch);

    public TrainingSummary Run(bool resume = false)
    {
        // No NativeAllocator.Tune() here: a library does not change process-wide malloc settings behind its user's back;
        // the CLI turns it on at start-up and a library user opts in (README, "Why TrainKit tunes the C heap").
        if (TotalSteps > RunConfigValidator.MaxSteps)
            throw new ArgumentException($"epochs {config.Epochs} is {TotalSteps} steps of {task.StepsPerEpoch} per epoch, more than the {RunConfigValidator.MaxSteps} a run may have");
        using var folderLock = RunFolderLock.Acquire(runDirectory);
        _lastEvaluation = null;
        using var execution = Runtime.ExecutionSettings.Apply(config.Threads, config.Determinism,
            cuda: task.Model.parameters().FirstOrDefault()?.device.type == DeviceType.CUDA);
        var store = new CheckpointStore(runDirectory, config.CheckpointsKept == 0 ? int.MaxValue : config.CheckpointsKept);
        Checkpoint? own = resume ? store.Latest() : null;
        if (own is not null) CheckResumable(own);
        // A fork starts from its parent's checkpoint until it has one of its own (also when it is resumed before that).
        using ForkStart? fork = own is null && config.ForkedFrom is { } origin ? ForkStart.Open(origin.Run, origin.Step) : null;
        fork?.CheckTarget(runDirectory, fresh: !resume);
        fork?.CheckConfig(config, TotalSteps);
        Checkpoint? resumeFrom = own ?? fork?.Checkpoint;
        // A fork with a new schedule evaluates it at the global step from the fork on, over the fork's own length.
        bool newSchedule = fork is not null && !fork.KeepsSchedule(config);
        WriteConfigIfChanged();
        var model = task.Model;
        // model.init_from sets the weights step 0 starts from; a resume or fork restores its checkpoint's weights instead.
        if (resumeFrom is null && config.Model.InitFrom is string initFrom) Export.InitFrom.Load(model, initFrom);
        var optimizer = OptimizerFactory.Create(config.Optimizer, model);
        // The schedule keeps the length it started with: resuming with another --steps moves where the run stops, not the
        // shape of its schedule (as PyTorch, where load_state_dict restores T_max / total_steps).
        _scheduleSteps = !newSchedule && resumeFrom?.State["schedule_steps"] is JsonValue recorded && recorded.TryGetValue(out long length) ? length : TotalSteps;
        var scheduler = makeScheduler(optimizer, _scheduleSteps);
        var snapshotSteps = SnapshotSteps();
        using var probes = config.ProbeEvery > 0 ? new TrainingProbes(task, config.ProbeExamples, config.Seed) : null;
        long start = resumeFrom is null ? 0 : Restore(resumeFrom, model, optimizer, scheduler, probes, clockOnly: newSchedule);
        using var ema = _ema = config.Ema is { } averaging ? new ModelEma(model, averaging) : null;
        if (resumeFrom is not null) RestoreEma(resumeFrom);
        _earlyStopping = config.EarlyStopping is { } stopping ? new EarlyStopping(stopping) : null;
        _earlyStopping?.LoadState(resumeFrom?.State["early_stopping"]);
        if (fork is not null)
        {
            if (newSchedule && fork.LrJump(scheduler.Current.Lr) is string jump) OnWarning?.Invoke(jump);
            fork.CopyMetricsTo(runDirectory);
            fork.Dispose(); // everything is read from the parent: it may be trained again
        }

        using var metrics = new MetricsLog(runDirectory, resumeAfterStep: start);
        foreach (string problem in metrics.Problems) OnWarning?.Invoke(problem);
        var tensorboard = torch.utils.tensorboard.SummaryWriter(Path.Combine(runDirectory, "tensorboard"));
        var guard = new DivergenceGuard(config.Divergence.ExplodeFactor);
        DivergenceGuard firstGuard = guard; // remembers where this run started, across rollbacks
        var clock = Stopwatch.StartNew();
        string? lastCheckpoint = resumeFrom?.Folder;
        int rollbacks = 0;
        // A run killed after its final checkpoint resumes with no step left to run: its last loss comes from there.
        double lastLoss = resumeFrom is null ? double.NaN : LastLoss(resumeFrom);
        long seenSinceLog = 0;
        var logClock = Stopwatch.StartNew();

        using var readings = new DeviceReadings();
        for (long step = start; step < TotalSteps && _earlyStopping?.Stopped is null; step++)
        {
            var (lr, wd, momentum) = scheduler.Current;
            var (pending, examples) = OptimizerStep(step, model, optimizer, scheduler, probes);
            readings.Add(pending);
            seenSinceLog += examples;
            long done = step + 1;

            // The losses stay on the device until a logging, evaluation, probe, snapshot or checkpoint point; there
            // one read brings the whole interval to the host and the guard checks it step by step.
            bool log = done % config.LogEvery == 0;
            bool evaluate = config.EvalEvery > 0 && done % config.EvalEvery == 0 || done == TotalSteps;
            bool probe = probes is not null && done % config.ProbeEvery == 0;
            bool checkpoint = config.CheckpointEvery > 0 && done % config.CheckpointEvery == 0 || done == TotalSteps;
            bool snapshot = snapshotSteps.Contains(done);
            if (!(log || evaluate || probe || checkpoint || snapshot)) continue;
            bool row = log || evaluate || probe;
            using var weightNorm = row ? WeightNorm(model) : null;
            var (steps, extra) = readings.Read(config.Accumulate, weightNorm is null ? [] : [weightNorm]);
            if (FirstDivergence(steps, guard) is var (divergedStep, divergedLoss, diverged))
            {
                // Checkpoint step-N holds the weights whose forward pass is step N + 1 (0-based N): the one of the
                // diverged step produced the diverged loss, so the last good checkpoint is the newest one before it.
                Checkpoint? good = store.LatestBefore(divergedStep);
                if (config.Divergence.OnDivergence == DivergenceAction.Rollback && rollbacks < config.Divergence.MaxRollbacks && good is not null)
                {
                    rollbacks++;
                    step = Restore(good, model, optimizer, scheduler, probes) - 1;
                    RestoreEma(good);
                    _earlyStopping?.LoadState(good.State["early_stopping"]);
                    metrics.RewindTo(step + 1);
                    scheduler.ScaleLearningRate(Math.Pow(config.Divergence.LrFactor, rollbacks));
                    guard = new DivergenceGuard(config.Divergence.ExplodeFactor);
                    continue;
                }
                throw new DivergenceException(
                    $"training diverged at step {divergedStep + 1}: {diverged}" +
                    (good is null ? "; no checkpoint before it is kept" : $"; last good checkpoint kept at {good.Folder}"),
                    divergedStep + 1, divergedLoss, good?.Folder);
            }
            double loss = steps[^1].Loss;
            lastLoss = loss;

            if (row)
            {
                var values = new Dictionary<string, double?>
                {
                    ["step"] = done,
                    ["epoch"] = done / StepsPerEpoch(config, task),
                    ["lr"] = lr,
                    ["weight_decay"] = wd,
                    ["momentum"] = momentum,
                    ["train_loss"] = loss,
                    ["grad_norm"] = steps[^1].GradNorm,
                    ["weight_norm"] = Math.Sqrt(extra[0]),
                    ["examples_per_second"] = seenSinceLog / Math.Max(logClock.Elapsed.TotalSeconds, 1e-9),
                };
                seenSinceLog = 0;
                logClock.Restart();
                if (probe) probes!.AddTo(values);
                if (evaluate)
                {
                    AddEvaluation(values, done);
                    scheduler.ReportMetric(values["test_eval_loss"]!.Value);
                    _earlyStopping?.Observe(done, values);
                }
                metrics.Write(values);
                foreach (var (key, value) in values)
                    if (key != "step" && value is double v && double.IsFinite(v)) tensorboard.add_scalar(key, (float)v, (int)done);
                OnProgress?.Invoke(new TrainingProgress(done, TotalSteps, loss, lr, clock.Elapsed)
                {
                    ExamplesPerSecond = values["examples_per_second"],
                    Evaluation = evaluate ? EvaluationOf(values) : null,
                });
            }
            if (snapshot) ModelSnapshots.Save(model, runDirectory, done);
            if (checkpoint || _earlyStopping?.Stopped is not null)
                lastCheckpoint = Save(store, done, loss, model, optimizer, scheduler, probes);
        }
        HostReads = readings.HostReads;

        // Rollback lowers the lr and tries again; a run that still ends above its first loss has not recovered, and
        // reporting it as a finished run (exit 0) would hide that. Its checkpoints and metrics stay.
        if (rollbacks > 0 && lastLoss > firstGuard.FirstLoss)
            throw new DivergenceException(
                FormattableString.Invariant($"training did not recover after {rollbacks} rollback(s): the last loss {lastLoss:G4} is above the first loss {firstGuard.FirstLoss:G4}") +
                (lastCheckpoint is null ? "" : $"; checkpoints kept, the last at {lastCheckpoint}"),
                TotalSteps, lastLoss, lastCheckpoint);
        AtomicFile.Write(Path.Combine(runDirectory, "model.bin"), s => model.save(s));
        if (ema is not null) AtomicFile.Write(Path.Combine(runDirectory, EmaModelFile), ema.Save);
        EarlyStop? stopped = _earlyStopping?.Stopped;
        var final = _lastEvaluation is { } last && last.Step == (stopped?.Step ?? TotalSteps) ? last.Results : null;
        var test = final?["test"] ?? Evaluate("test");
        var train = final?["train"] ?? Evaluate("train");
        EvalResult? emaTest = ema is null ? null : final?.GetValueOrDefault("ema_test") ?? ema.WithAveragedWeights(() => Evaluate("test"));
        var summary = new TrainingSummary(stopped?.Step ?? TotalSteps, double.IsFinite(lastLoss) ? lastLoss : null, test, train, clock.Elapsed.TotalSeconds, runDirectory)
        {
            EarlyStopping = stopped,
            EmaTest = emaTest,
        };
        AtomicFile.WriteAllText(Path.Combine(runDirectory, "summary.json"), System.Text.Json.JsonSerializer.Serialize(summary, TrainingSummary.Json));
        return summary;
    }

    /// <summary>Times the step loop read losses from the device during the last <see cref="Run"/> (at most one per
    /// logging, evaluation, probe, snapshot or checkpoint point).</summary>
    public int HostReads { get; private set; }

    /// <summary>The first step of an interval the guard rejects, its loss and the reason; null when all are healthy.</summary>
    static (long Step, double Loss, string Reason)? FirstDivergence(IReadOnlyList<StepReading> steps, DivergenceGuard guard)
    {
        foreach (StepReading s in steps)
            if (guard.Check(s.Loss) is string reason) return (s.Step, s.Loss, reason);
        return null;
    }

    /// <summary>One optimizer step over <see cref="RunConfig.Accumulate"/> micro-batches, as PyTorch users write
    /// it: each micro-batch's loss divided by K is backpropagated into the same gradients, so the step sees the mean
    /// gradient of K·B examples. Micro-batch k of step s is the task's batch s·K + k, so the batches stay a function
    /// of the step (resume is exact) and K = 1 is the plain loop. Nothing is read to the host: the loss sum and the
    /// gradient norm stay on the device for <see cref="DeviceReadings"/>.</summary>
    (DeviceStep Step, long Examples) OptimizerStep(long step, nn.Module<Tensor, Tensor> model, OptimizerHelper optimizer, IRunScheduler scheduler,
        TrainingProbes? probes)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(Loop.StepSeed.For(config.Seed, step)); // dropout and friends: a function of the step, like the batches
        model.train();
        optimizer.zero_grad();
        int k = config.Accumulate;
        Tensor? lossSum = null;
        long examples = 0;
        for (int micro = 0; micro < k; micro++)
        {
            var (input, target) = task.TrainBatch(step * k + micro);
            Tensor loss = task.Loss(model.call(input), target);
            (k == 1 ? loss : loss / k).backward();
            lossSum = lossSum is null ? loss.detach() : lossSum + loss.detach();
            examples += input.shape[0];
        }
        probes?.ObserveGradient(model);
        Tensor gradNorm = GradientClipping.ClipOnDevice(model.parameters(), config.GradClip);
        optimizer.step();
        _ema?.Update(step + 1);
        scheduler.Step();
        return (new DeviceStep(step, lossSum!.DetachFromDisposeScope(), gradNorm.DetachFromDisposeScope()), examples);
    }

    /// <summary>config.json is what --resume reads back: it is replaced atomically (a kill never leaves it empty)
    /// and only when its content changes, so a resume with the same configuration does not touch it.</summary>
    void WriteConfigIfChanged()
    {
        string path = Path.Combine(runDirectory, "config.json");
        string json = RunConfigJson.Serialize(config);
        if (File.Exists(path) && File.ReadAllText(path) == json) return;
        AtomicFile.WriteAllText(path, json);
    }

    /// <summary>Refuses (bad input, exit 2) to continue a checkpoint under a configuration it was not trained with,
    /// or past the end of a run that is now shorter than the checkpoint.</summary>
    void CheckResumable(Checkpoint checkpoint)
    {
        if (checkpoint.Step > TotalSteps)
            throw new ArgumentException(
                $"the run in {runDirectory} is checkpointed at step {checkpoint.Step}, past this run's {TotalSteps} steps; " +
                $"resume with --steps {checkpoint.Step} or more, or start a new run in another folder");
        if (checkpoint.State["config"] is JsonObject recorded)
        {
            var changed = ConfigFingerprint.ChangedKeys(recorded, config);
            if (changed.Count > 0)
                throw new ArgumentException(
                    $"cannot resume {runDirectory}: its configuration changed since checkpoint {Path.GetFileName(checkpoint.Folder)} was written: " +
                    $"{string.Join(", ", changed)}; restore those keys in config.json or start a new run");
        }
    }

    /// <summary>‖w‖ over all trainable parameters: with BatchNorm the loss ignores the scale of most weights, so
    /// weight decay acts through it (the effective lr of a scale-invariant weight is lr/‖w‖², van Laarhoven 2017).</summary>
    /// <returns>‖w‖² as a device scalar, read with the interval's losses (the caller owns it).</returns>
    static Tensor WeightNorm(nn.Module model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return stack(model.parameters().Select(p => p.square().sum().to_type(ScalarType.Float64))).sum().DetachFromDisposeScope();
    }

    HashSet<long> SnapshotSteps()
    {
        var steps = new HashSet<long>();
        foreach (double epoch in config.SnapshotEpochs)
        {
            long step = (long)Math.Round(epoch * StepsPerEpoch(config, task));
            if (step < 1 || step > TotalSteps)
                throw new ArgumentException(FormattableString.Invariant(
                    $"snapshot_epochs: epoch {epoch} is step {step}, outside this run's {TotalSteps} steps ({TotalSteps / StepsPerEpoch(config, task):0.##} epochs)"));
            steps.Add(step);
        }
        return steps;
    }

    void AddEvaluation(Dictionary<string, double?> row, long step)
    {
        var results = new Dictionary<string, EvalResult>();
        bool validation = config.Data.ValidationFraction > 0;
        foreach (string split in validation ? ["train", "validation", "test"] : new[] { "train", "test" })
            AddResult(row, split, results[split] = Evaluate(split));
        // The average is judged on held-out data only (ema_validation_*, ema_test_*): its training loss would cost
        // another pass over the training split and select nothing.
        _ema?.WithAveragedWeights(() =>
        {
            foreach (string split in validation ? ["validation", "test"] : new[] { "test" })
                AddResult(row, "ema_" + split, results["ema_" + split] = Evaluate(split));
            return row;
        });
        _lastEvaluation = (step, results);
    }

    /// <summary>The evaluation columns of a metrics row (…_eval_loss, …_accuracy, …_perplexity), for progress reports.</summary>
    static Dictionary<string, double> EvaluationOf(Dictionary<string, double?> row) =>
        row.Where(kv => kv.Value is double && (kv.Key.EndsWith("_eval_loss", StringComparison.Ordinal)
                || kv.Key.EndsWith("_accuracy", StringComparison.Ordinal) || kv.Key.EndsWith("_perplexity", StringComparison.Ordinal)))
            .ToDictionary(kv => kv.Key, kv => kv.Value!.Value);

    static void AddResult(Dictionary<string, double?> row, string prefix, EvalResult result)
    {
        row[$"{prefix}_eval_loss"] = result.Loss;
        if (result.Accuracy is double accuracy) row[$"{prefix}_accuracy"] = accuracy;
        if (result.Perplexity is double perplexity) row[$"{prefix}_perplexity"] = perplexity;
    }

    EvalResult Evaluate(string split)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return task.Evaluate(split);
    }

    string Save(CheckpointStore store, long step, double loss, nn.Module model, OptimizerHelper optimizer, IRunScheduler scheduler, TrainingProbes? probes)
    {
        var parts = new Dictionary<string, Action<Stream>>
        {
            ["model"] = s => model.save(s),
            ["optimizer"] = s => { using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true); optimizer.save_state_dict(w); },
            ["rng"] = s => { using var state = random.get_rng_state(); s.Write(state.bytes); },
        };
        if (probes is not null) parts["probes"] = probes.Save;
        if (_ema is not null) parts["ema"] = _ema.Save;
        var state = new JsonObject
        {
            ["scheduler"] = scheduler.State(),
            ["epoch"] = step / StepsPerEpoch(config, task),
            ["config"] = ConfigFingerprint.Relevant(config),
            ["config_sha256"] = ConfigFingerprint.Of(config),
            ["schedule_steps"] = _scheduleSteps,
        };
        if (_earlyStopping is not null) state["early_stopping"] = _earlyStopping.State();
        if (double.IsFinite(loss)) state["train_loss"] = loss;
        return store.Save(step, parts, state);
    }

    /// <summary>The training loss of a checkpoint's step: stored in its state, or (checkpoints written before
    /// that was stored) the metrics row of that step.</summary>
    double LastLoss(Checkpoint checkpoint)
    {
        if (checkpoint.State["train_loss"] is JsonValue stored && stored.TryGetValue(out double loss)) return loss;
        var row = MetricsLog.Read(runDirectory).LastOrDefault(r => r["step"]?.GetValue<long>() == checkpoint.Step);
        return row?["train_loss"] is JsonValue logged && logged.TryGetValue(out double fromLog) ? fromLog : double.NaN;
    }

    /// <param name="clockOnly">The scheduler is another schedule than the one that wrote the checkpoint (a fork's new
    /// tail): it takes over the checkpoint's clock instead of its whole state.</param>
    static long Restore(Checkpoint checkpoint, nn.Module model, OptimizerHelper optimizer, IRunScheduler scheduler, TrainingProbes? probes, bool clockOnly = false)
    {
        // Every part is read and checked (size, SHA-256) before native code sees it: libtorch aborts the
        // process on some malformed inputs (an empty rng state) instead of raising an error.
        long step = checkpoint.Step;
        byte[] weights = checkpoint.ReadPart("model"), optimizerState = checkpoint.ReadPart("optimizer"), rng = checkpoint.ReadPart("rng");
        using (var current = random.get_rng_state())
            if (rng.LongLength != current.NumberOfElements)
                throw new InvalidDataException($"checkpoint part {Path.Combine(checkpoint.Folder, "rng.bin")} is {rng.Length} bytes; a generator state is {current.NumberOfElements}");
        LoadNative(checkpoint, "model", "the model's architecture (model.*, task) differs from the one it was trained with",
            () => model.load(new MemoryStream(weights)));
        LoadNative(checkpoint, "optimizer", "the optimizer (optimizer.name) or the model differs from the one it was trained with",
            () => { using var r = new BinaryReader(new MemoryStream(optimizerState)); optimizer.load_state_dict(r); });
        using (var state = tensor(rng, ScalarType.Byte)) random.set_rng_state(state);
        JsonNode schedulerState = checkpoint.State["scheduler"] ?? throw new InvalidDataException($"checkpoint {checkpoint.Folder}: state.json has no scheduler state");
        LoadNative(checkpoint, "state.json scheduler", "its scheduler state does not fit this schedule",
            () => { if (clockOnly) scheduler.ContinueClock(schedulerState); else scheduler.LoadState(schedulerState); });
        // A checkpoint written without probes (probe_every was 0, or an older version) leaves them to start cold.
        if (probes is not null && checkpoint.Has("probes"))
        {
            byte[] probeState = checkpoint.ReadPart("probes");
            try
            {
                LoadNative(checkpoint, "probes", "its probe state does not fit this model or probe_examples", () => probes.Load(probeState));
            }
            catch (InvalidDataException ex) when (!ex.Message.StartsWith("checkpoint ", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"checkpoint {checkpoint.Folder}: cannot load its probes part: {ex.Message}", ex);
            }
        }
        return step;
    }

    /// <summary>Restores the moving average from the checkpoint's <c>ema</c> part. A checkpoint without one (written
    /// with <c>ema</c> off: the key may change on resume) starts the average at the restored weights, with a warning,
    /// rather than refusing: the average never changes the training weights, only what <c>ema_*</c> reports.</summary>
    void RestoreEma(Checkpoint checkpoint)
    {
        if (_ema is null) return;
        if (!checkpoint.Has("ema"))
        {
            _ema.Reset();
            OnWarning?.Invoke($"checkpoint {checkpoint.Folder} has no moving average of the weights (ema was off when it was written); " +
                $"the average starts at its step-{checkpoint.Step} weights, so the ema_* metrics differ from a run that averaged from the start");
            return;
        }
        byte[] average = checkpoint.ReadPart("ema");
        LoadNative(checkpoint, "ema", "the model's architecture differs from the one whose weights it averaged",
            () => _ema.Load(new MemoryStream(average)));
    }

    /// <summary>Runs a restore step, turning the library's errors into a message that names the checkpoint file.</summary>
    static void LoadNative(Checkpoint checkpoint, string part, string likelyCause, Action load)
    {
        try { load(); }
        catch (Exception ex) when (ex is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"checkpoint {checkpoint.Folder}: cannot load its {part} part: {likelyCause} ({ex.Message.Split('\n')[0]})", ex);
        }
    }
}
