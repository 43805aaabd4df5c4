namespace TrainKit.Training.Config;

/// <summary>Checks every value of a <see cref="RunConfig"/>; the first problem throws an
/// <see cref="ArgumentException"/> naming the key and the allowed values.</summary>
public static class RunConfigValidator
{
    public static readonly string[] Tasks = ["resnet-fashion-mnist", "resnet-cifar10", "transformer-text", "full-batch-mse"];
    public static readonly string[] Optimizers = ["sgd", "adam", "adamw"];
    public static readonly string[] Devices = ["auto", "cpu", "cuda"];

    public static RunConfig Validate(RunConfig c)
    {
        OneOf("task", c.Task, Tasks);
        OneOf("device", c.Device, Devices);
        OneOf("optimizer.name", c.Optimizer.Name, Optimizers);
        Positive("optimizer.lr", c.Optimizer.Lr);
        InRange("optimizer.momentum", c.Optimizer.Momentum, 0, 1, upperOpen: true);
        InRange("optimizer.beta1", c.Optimizer.Beta1, 0, 1, upperOpen: true);
        InRange("optimizer.beta2", c.Optimizer.Beta2, 0, 1, upperOpen: true);
        InRange("optimizer.weight_decay", c.Optimizer.WeightDecay, 0, double.MaxValue);
        Positive("optimizer.eps", c.Optimizer.Eps);
        if (c.Optimizer.Nesterov && c.Optimizer.Name == "sgd" && c.Optimizer.Momentum == 0)
            throw new ArgumentException("optimizer.nesterov needs optimizer.momentum > 0");
        if (c.BatchSize < 1) throw new ArgumentException($"batch_size must be at least 1, got {c.BatchSize}");
        if (c.Steps is < 1) throw new ArgumentException($"steps must be at least 1, got {c.Steps}");
        if (c.Steps is null) Positive("epochs", c.Epochs);
        if (c.GradClip is double clip) Positive("grad_clip", clip);
        if (c.LogEvery < 1) throw new ArgumentException($"log_every must be at least 1, got {c.LogEvery}");
        if (c.EvalEvery < 0) throw new ArgumentException($"eval_every must be 0 (only at the end) or more, got {c.EvalEvery}");
        if (c.CheckpointEvery < 0) throw new ArgumentException($"checkpoint_every must be 0 (only at the end) or more, got {c.CheckpointEvery}");
        foreach (double epoch in c.SnapshotEpochs) Positive("snapshot_epochs", epoch);
        if (c.ProbeEvery < 0) throw new ArgumentException($"probe_every must be 0 (off) or more, got {c.ProbeEvery}");
        if (c.ProbeExamples < 1) throw new ArgumentException($"probe_examples must be at least 1, got {c.ProbeExamples}");
        InRange("data.validation_fraction", c.Data.ValidationFraction, 0, 0.5);
        if (c.Data.Subset < 0) throw new ArgumentException($"data.subset must be 0 (all) or more, got {c.Data.Subset}");
        if (c.Task == "transformer-text" && (c.Data.Subset > 0 || c.Data.ValidationFraction > 0))
            throw new ArgumentException("data.subset and data.validation_fraction apply to the image tasks only, not transformer-text");
        if (c.Task == "full-batch-mse" && c.Data.ValidationFraction > 0)
            throw new ArgumentException("data.validation_fraction does not apply to full-batch-mse (it evaluates on the test split)");
        if (c.Data.EvalExamples < 0) throw new ArgumentException($"data.eval_examples must be 0 (all) or more, got {c.Data.EvalExamples}");
        OneOf("data.tokenizer", c.Data.Tokenizer, ["char", "cl100k", "o200k"]);
        OneOf("data.source", c.Data.Source, ["embedded", "fashion-mnist", "mnist", "cifar10", "cifar100", "text"]);
        Positive("model.width", c.Model.Width);
        OneOf("model.norm", c.Model.Norm, ["pre", "post"]);
        foreach (var (key, value) in new[] { ("model.layers", c.Model.Layers), ("model.embedding", c.Model.Embedding), ("model.heads", c.Model.Heads), ("model.context", c.Model.Context) })
            if (value < 1) throw new ArgumentException($"{key} must be at least 1, got {value}");
        if (c.Model.Embedding % c.Model.Heads != 0)
            throw new ArgumentException($"model.embedding ({c.Model.Embedding}) must be divisible by model.heads ({c.Model.Heads})");
        InRange("model.dropout", c.Model.Dropout, 0, 1, upperOpen: true);
        OneOf("divergence.on_divergence", c.Divergence.OnDivergence, ["stop", "rollback"]);
        InRange("divergence.explode_factor", c.Divergence.ExplodeFactor, 0, double.MaxValue);
        InRange("divergence.lr_factor", c.Divergence.LrFactor, 0, 1, lowerOpen: true, upperOpen: true);
        TrainKit.Schedulers.Config.ScheduleCatalog.Describe(c.Schedule.Kind); // unknown kinds name the kind and list the known ones
        return c;
    }

    static void OneOf(string key, string value, string[] allowed)
    {
        if (!allowed.Contains(value))
            throw new ArgumentException($"{key} must be one of {string.Join(", ", allowed)}; got '{value}'");
    }

    static void Positive(string key, double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentException($"{key} must be a positive finite number, got {value}");
    }

    static void InRange(string key, double value, double min, double max, bool lowerOpen = false, bool upperOpen = false)
    {
        bool ok = double.IsFinite(value) && (lowerOpen ? value > min : value >= min) && (upperOpen ? value < max : value <= max);
        if (!ok)
            throw new ArgumentException($"{key} must be in {(lowerOpen ? "(" : "[")}{min}, {max}{(upperOpen ? ")" : "]")}, got {value}");
    }
}
