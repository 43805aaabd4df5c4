using TorchSharp;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using static TorchSharp.torch;

namespace TrainKit.Training.Tasks;

/// <summary>Builds the task a run configuration names, on the device it asks for.</summary>
public static class TrainingTasks
{
    public static Device ResolveDevice(string device) => device switch
    {
        "auto" => cuda.is_available() ? CUDA : CPU,
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new ArgumentException("device is 'cuda' but CUDA is not available (run `trainkit info` to see why)"),
        _ => throw new ArgumentException($"device must be auto, cpu or cuda; got '{device}'"),
    };

    /// <param name="downloadProgress">Called while a dataset that is not on disk yet is downloaded.</param>
    public static ITrainingTask Create(RunConfig config, Action<TrainKit.Training.Data.DownloadProgress>? downloadProgress = null)
    {
        RunConfigValidator.Validate(config);
        Device device = ResolveDevice(config.Device);
        return config.Task switch
        {
            "resnet-fashion-mnist" or "resnet-cifar10" => new ImageClassificationTask(config, device, downloadProgress),
            "transformer-text" => new LanguageModelTask(config, device),
            "full-batch-mse" => new FullBatchMseTask(config, device),
            _ => throw new ArgumentException($"task must be one of {string.Join(", ", RunConfigValidator.Tasks)}; got '{config.Task}'"),
        };
    }
}
