using TrainKit.Models;

namespace TrainKit.Training.Config;

/// <summary>Checks every value of a <see cref="RunConfig"/>; the first problem throws an
/// <see cref="ArgumentException"/> naming the key and the allowed values. (The choices are enums: a value outside
/// them never gets this far, <see cref="RunConfigJson"/> refuses it naming the key.)</summary>
public static class RunConfigValidator
{

    /// <summary>The longest run accepted: step counters reach TensorBoard as int32.</summary>
    public const long MaxSteps = 1_000_000_000;
    /// <summary>The most intra-op threads a run may ask for (far above any machine TrainKit runs on).</summary>
    public const int MaxThreads = 1024;
    public const double MaxEpochs = 1_000_000;
    public const double MaxWidth = 64;
    public const int MaxModelDimension = 65_536;

    public static RunConfig Validate(RunConfig c)
    {
        // Weights, gradients and the optimizer's arithmetic are float32: a value finite as a double but not as a
        // float (lr 1e308) would turn into infinity inside the first step.
        FloatPositive("optimizer.lr", c.Optimizer.Lr);
        InRange("optimizer.momentum", c.Optimizer.Momentum, 0, 1, upperOpen: true);
        InRange("optimizer.beta1", c.Optimizer.Beta1, 0, 1, upperOpen: true);
        InRange("optimizer.beta2", c.Optimizer.Beta2, 0, 1, upperOpen: true);
        InRange("optimizer.weight_decay", c.Optimizer.WeightDecay, 0, float.MaxValue);
        FloatPositive("optimizer.eps", c.Optimizer.Eps);
        if (c.Optimizer.Nesterov && c.Optimizer.Name == OptimizerKind.Sgd && c.Optimizer.Momentum == 0)
            throw new ArgumentException("optimizer.nesterov needs optimizer.momentum > 0");
        if (c.BatchSize < 1) throw new ArgumentException($"batch_size must be at least 1, got {c.BatchSize}");
        InRange("label_smoothing", c.LabelSmoothing, 0, 1, upperOpen: true);
        if (c.LabelSmoothing > 0 && c.Task is not (TrainingTaskKind.ResNetFashionMnist or TrainingTaskKind.ResNetCifar10))
            throw new ArgumentException($"label_smoothing applies to the image classification tasks, not {c.Task.Spelling()}");
        if (c.Accumulate < 1) throw new ArgumentException($"accumulate must be at least 1 (micro-batches per optimizer step), got {c.Accumulate}");
        if (c.Steps is < 1 or > MaxSteps) throw new ArgumentException($"steps must be in [1, {MaxSteps}], got {c.Steps}");
        if (c.Steps is null) InRange("epochs", c.Epochs, 0, MaxEpochs, lowerOpen: true);
        if (c.GradClip is double clip) FloatPositive("grad_clip", clip);
        if (c.LogEvery < 1) throw new ArgumentException($"log_every must be at least 1, got {c.LogEvery}");
        if (c.EvalEvery < 0) throw new ArgumentException($"eval_every must be 0 (only at the end) or more, got {c.EvalEvery}");
        if (c.CheckpointEvery < 0) throw new ArgumentException($"checkpoint_every must be 0 (only at the end) or more, got {c.CheckpointEvery}");
        if (c.KeepCheckpoints is < 0) throw new ArgumentException($"keep_checkpoints must be 0 (keep every one) or more, got {c.KeepCheckpoints}");
        if (c.ForkedFrom is { } fork && (string.IsNullOrWhiteSpace(fork.Run) || fork.Step < 1))
            throw new ArgumentException($"forked_from must name the parent run folder (run) and a step of at least 1, got run '{fork.Run}', step {fork.Step}");
        foreach (double epoch in c.SnapshotEpochs) Positive("snapshot_epochs", epoch);
        if (c.ProbeEvery < 0) throw new ArgumentException($"probe_every must be 0 (off) or more, got {c.ProbeEvery}");
        if (c.ProbeExamples < 1) throw new ArgumentException($"probe_examples must be at least 1, got {c.ProbeExamples}");
        InRange("data.validation_fraction", c.Data.ValidationFraction, 0, 0.5);
        if (c.Data.Path is not null && c.Data.Source == ImageSource.Embedded && c.Task is TrainingTaskKind.ResNetFashionMnist or TrainingTaskKind.FullBatchMse)
            throw new ArgumentException(
                $"data.path (--data) is '{c.Data.Path}' but data.source is 'embedded', the bundled subset, which reads no files; " +
                "set data.source to fashion-mnist or mnist to train on that folder, or leave data.path out");
        if (c.Data.Path is "") throw new ArgumentException("data.path (--data) is empty; give a dataset folder or corpus file, or leave it out");
        if (c.Data.Subset < 0) throw new ArgumentException($"data.subset must be 0 (all) or more, got {c.Data.Subset}");
        if (c.Task == TrainingTaskKind.TransformerText && (c.Data.Subset > 0 || c.Data.ValidationFraction > 0))
            throw new ArgumentException("data.subset and data.validation_fraction apply to the image tasks only, not transformer-text");
        if (c.Task == TrainingTaskKind.FullBatchMse && c.Data.ValidationFraction > 0)
            throw new ArgumentException("data.validation_fraction does not apply to full-batch-mse (it evaluates on the test split)");
        if (c.Data.EvalExamples < 0) throw new ArgumentException($"data.eval_examples must be 0 (all) or more, got {c.Data.EvalExamples}");
        ValidateModel(c);
        InRange("divergence.explode_factor", c.Divergence.ExplodeFactor, 0, float.MaxValue);
        if (c.Divergence.MaxRollbacks < 0) throw new ArgumentException($"divergence.max_rollbacks must be 0 or more, got {c.Divergence.MaxRollbacks}");
        InRange("divergence.lr_factor", c.Divergence.LrFactor, 0, 1, lowerOpen: true, upperOpen: true);
        if (c.EarlyStopping is { } stop) ValidateEarlyStopping(stop, c);
        if (c.Ema is { } ema) InRange("ema.decay", ema.Decay, 0, 1, upperOpen: true);
        if (c.Data.RandomErasing is double erasing) InRange("data.random_erasing", erasing, 0, 1);
        if (c.Threads is int threads && threads is < 1 or > MaxThreads)
            throw new ArgumentException($"threads must be between 1 and {MaxThreads}, got {threads}");
        TrainKit.Schedulers.Config.ScheduleCatalog.Describe(c.Schedule.Kind); // unknown kinds name the kind and list the known ones
        return c;
    }

    static void ValidateModel(RunConfig c)
    {
        if (TaskModelMismatch(c) is string mismatch) throw new ArgumentException(mismatch);
        // A record built in code may carry a name of another kind (files cannot: the name picks the record).
        if (ModelNames.FamilyOf(c.Model.Name) != c.Model.Family)
            throw new ArgumentException($"model.name '{c.Model.Name}' does not name a {c.Model.Family} model ({c.Model.GetType().Name}); " +
                (ModelNames.FamilyOf(c.Model.Name) is null ? ModelNames.Unknown(c.Model.Name) : "build the record of its kind"));
        if (c.Model.InitFrom is string initFrom && string.IsNullOrWhiteSpace(initFrom))
            throw new ArgumentException("model.init_from is empty; give a .pt or .safetensors state_dict (trainkit export writes one) or leave it out");
        if (c.Model.InitFrom is not null && !PyTorchLayout.Supports(c.Model.Family))
            throw new ArgumentException($"model.init_from: {PyTorchLayout.Unsupported(c.Model.Name)}");
        switch (c.Model)
        {
            case CifarResNetModelConfig resnet when ModelNames.CifarResNetDepth(resnet.Name) is not int depth || depth < 8 || (depth - 2) % 6 != 0:
                throw new ArgumentException($"model.name '{resnet.Name}': a CIFAR ResNet's depth must be 6n+2 with n >= 1 (resnet20, resnet32, resnet44, resnet56, resnet110, ...)");
            case ImageModelConfig image:
                // Bounded: a huge width multiplier only ends in a native allocation failure deep in libtorch.
                InRange("model.width", image.Width, 0, MaxWidth, lowerOpen: true);
                break;
            case GptModelConfig gpt:
                foreach (var (key, value) in new[] { ("model.layers", gpt.Layers), ("model.embedding", gpt.Embedding), ("model.heads", gpt.Heads), ("model.context", gpt.Context) })
                    if (value < 1 || value > MaxModelDimension) throw new ArgumentException($"{key} must be in [1, {MaxModelDimension}], got {value}");
                if (gpt.Embedding % gpt.Heads != 0)
                    throw new ArgumentException($"model.embedding ({gpt.Embedding}) must be divisible by model.heads ({gpt.Heads})");
                InRange("model.dropout", gpt.Dropout, 0, 1, upperOpen: true);
                break;
        }
    }

    /// <summary>Every task builds only the models it can: the text task a GPT, the image tasks an image classifier.
    /// Null when <paramref name="c"/>'s task can build its model, else the refusal naming both.</summary>
    public static string? TaskModelMismatch(RunConfig c) => c.Task == TrainingTaskKind.TransformerText
        ? c.Model is GptModelConfig ? null : $"task {c.Task.Spelling()} trains a language model and builds only gpt, not model.name '{c.Model.Name}'; set model.name to gpt"
        : c.Model is ImageModelConfig ? null
        : $"task {c.Task.Spelling()} trains an image classifier and builds only {string.Join(", ", ModelFactory.ImageModelNames)} (any resnet{{6n+2}}), " +
          $"not model.name '{c.Model.Name}'";

    static void ValidateEarlyStopping(EarlyStoppingConfig stop, RunConfig c)
    {
        if (string.IsNullOrWhiteSpace(stop.Metric)) throw new ArgumentException("early_stopping.metric is empty; name a metric such as validation_eval_loss");
        // Choosing when to stop by the test split is model selection on test data: its numbers would no longer estimate anything.
        if (stop.Metric.StartsWith("test_", StringComparison.Ordinal))
            throw new ArgumentException($"early_stopping.metric '{stop.Metric}' is a test-split metric; stopping on it selects the model on test data (leakage); " +
                "use a validation metric (set data.validation_fraction) such as validation_eval_loss");
        if (!stop.Metric.StartsWith("validation_", StringComparison.Ordinal) && !stop.Metric.StartsWith("train_", StringComparison.Ordinal))
            throw new ArgumentException($"early_stopping.metric '{stop.Metric}' is not an evaluated metric; use validation_eval_loss, validation_accuracy or a train_ metric");
        if (stop.Metric.StartsWith("validation_", StringComparison.Ordinal) && c.Data.ValidationFraction == 0)
            throw new ArgumentException($"early_stopping.metric '{stop.Metric}' needs a validation split; set data.validation_fraction > 0");
        if (stop.Patience < 1) throw new ArgumentException($"early_stopping.patience must be at least 1, got {stop.Patience}");
        InRange("early_stopping.min_delta", stop.MinDelta, 0, double.MaxValue);
    }

    static void Positive(string key, double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentException($"{key} must be a positive finite number, got {value}");
    }

    static void FloatPositive(string key, double value)
    {
        if (!(value > 0) || !float.IsFinite((float)value))
            throw new ArgumentException($"{key} must be a positive number that fits a float32 (at most {float.MaxValue:G3}), got {value}");
    }

    static void InRange(string key, double value, double min, double max, bool lowerOpen = false, bool upperOpen = false)
    {
        bool ok = double.IsFinite(value) && (lowerOpen ? value > min : value >= min) && (upperOpen ? value < max : value <= max);
        if (!ok)
            throw new ArgumentException($"{key} must be in {(lowerOpen ? "(" : "[")}{min}, {max}{(upperOpen ? ")" : "]")}, got {value}");
    }
}
