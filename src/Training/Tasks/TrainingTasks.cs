using TorchSharp;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using static TorchSharp.torch;

namespace TrainKit.Training.Tasks;

/// <summary>Builds the task a run configuration names, on the device it asks for.</summary>
public static class TrainingTasks
{
    public static Device ResolveDevice(DeviceChoice device) => device switch
    {
        DeviceChoice.Auto => cuda.is_available() ? CUDA : CPU,
        DeviceChoice.Cpu => CPU,
        DeviceChoice.Cuda when cuda.is_available() => CUDA,
        DeviceChoice.Cuda => throw new ArgumentException("device is 'cuda' but CUDA is not available (run `trainkit info` to see why)"),
    };

    /// <param name="downloadProgress">Called while a dataset that is not on disk yet is downloaded.</param>
    public static ITrainingTask Create(RunConfig config, Action<TrainKit.Training.Data.DownloadProgress>? downloadProgress = null)
    {
        RunConfigValidator.Validate(config);
        Device device = ResolveDevice(config.Device);
        return config.Task switch
        {
            TrainingTaskKind.ResNetFashionMnist or TrainingTaskKind.ResNetCifar10 => new ImageClassificationTask(config, device, downloadProgress),
            TrainingTaskKind.TransformerText => new LanguageModelTask(config, device),
            TrainingTaskKind.FullBatchMse => new FullBatchMseTask(config, device),
        };
    }
}
