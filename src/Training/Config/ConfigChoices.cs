using System.Text.Json.Serialization;

namespace TrainKit.Training.Config;

// The vocabularies of the run configuration's choices. Each member names its JSON spelling, the one config files,
// presets, committed results and `--set key=value` use; ChoiceConverter reads and writes exactly these.

/// <summary>What a run trains (<c>task</c>).</summary>
public enum TrainingTaskKind
{
    [JsonStringEnumMemberName("resnet-fashion-mnist")] ResNetFashionMnist,
    [JsonStringEnumMemberName("resnet-cifar10")] ResNetCifar10,
    [JsonStringEnumMemberName("transformer-text")] TransformerText,
    /// <summary>Full-batch GD with the squared loss on an image subset, for edge-of-stability experiments.</summary>
    [JsonStringEnumMemberName("full-batch-mse")] FullBatchMse,
}

/// <summary>Where a run computes (<c>device</c>).</summary>
public enum DeviceChoice
{
    /// <summary>CUDA when available, else the CPU.</summary>
    [JsonStringEnumMemberName("auto")] Auto,
    [JsonStringEnumMemberName("cpu")] Cpu,
    [JsonStringEnumMemberName("cuda")] Cuda,
}

/// <summary>The optimizer (<c>optimizer.name</c>).</summary>
public enum OptimizerKind
{
    [JsonStringEnumMemberName("sgd")] Sgd,
    [JsonStringEnumMemberName("adam")] Adam,
    [JsonStringEnumMemberName("adamw")] AdamW,
}

/// <summary>Which images an image task reads (<c>data.source</c>).</summary>
public enum ImageSource
{
    /// <summary>The bundled 10k-image Fashion-MNIST subset (reads no files).</summary>
    [JsonStringEnumMemberName("embedded")] Embedded,
    [JsonStringEnumMemberName("fashion-mnist")] FashionMnist,
    [JsonStringEnumMemberName("mnist")] Mnist,
    [JsonStringEnumMemberName("cifar10")] Cifar10,
    [JsonStringEnumMemberName("cifar100")] Cifar100,
}

/// <summary>What the trainer does when the loss diverges (<c>divergence.on_divergence</c>).</summary>
public enum DivergenceAction
{
    [JsonStringEnumMemberName("stop")] Stop,
    /// <summary>Reload the last checkpoint and scale the learning rate down.</summary>
    [JsonStringEnumMemberName("rollback")] Rollback,
}

/// <summary>Whether the early-stopping metric improves downwards (a loss) or upwards (an accuracy).</summary>
public enum ImprovementDirection
{
    [JsonStringEnumMemberName("min")] Min,
    [JsonStringEnumMemberName("max")] Max,
}
