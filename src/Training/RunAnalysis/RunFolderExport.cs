using TrainKit.IO;
using TrainKit.Training.Config;
using TrainKit.Training.Export;
using TrainKit.Training.Tasks;

namespace TrainKit.Training.RunAnalysis;

/// <summary>
/// <c>trainkit export</c>: the final model of a run folder (RUN_DIR/model.bin, built from RUN_DIR/config.json as
/// <see cref="RunFolderAnalysis"/> builds it) written as a PyTorch state_dict under PyTorch's names
/// (<see cref="PyTorchStateDict"/>). It sits here rather than in Export because it builds the run's task: Export stays
/// below Tasks, so the trainer can use it for <c>model.init_from</c> without a namespace cycle.
/// </summary>
public static class RunFolderExport
{
    /// <summary>Writes the file and returns its path and the number of tensors in it; <paramref name="output"/> null
    /// writes RUN_DIR/model.pt or RUN_DIR/model.safetensors. A missing or unreadable config.json or model.bin is
    /// refused naming the file.</summary>
    public static (string Path, int Tensors) Export(string runDirectory, StateDictFormat format, string? output = null)
    {
        if (string.IsNullOrWhiteSpace(runDirectory))
            throw new ArgumentException("RUN_DIR is empty; give a folder written by `trainkit train`");
        if (output is not null && string.IsNullOrWhiteSpace(output))
            throw new ArgumentException("--out is empty; give the file to write or leave it out");
        string configPath = Path.Combine(runDirectory, "config.json");
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"RUN_DIR {runDirectory} is not a run folder: it has no config.json", configPath);
        string modelPath = Path.Combine(runDirectory, "model.bin");
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"RUN_DIR {runDirectory} has no final model {modelPath} (the run has not finished)", modelPath);
        InputFile.RequireRegular(modelPath, "model file");
        // Exporting reads weights only: build the model on the CPU whatever device the run trained on.
        RunConfig config = RunConfigJson.Load(configPath) with { Device = DeviceChoice.Cpu };
        using var task = TrainingTasks.Create(config);
        try
        {
            task.Model.load(modelPath);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{modelPath} does not hold the weights of the model in {configPath}: {ex.Message}", ex);
        }
        string target = output ?? Path.Combine(runDirectory, "model" + format.Extension());
        // The file is renamed into place: over a device such as /dev/null, run as root, that would replace the device
        // node itself. Devices and FIFOs report size 0, as InputFile's readers rely on; so does an empty file, which is
        // no export either, so a target of size 0 is refused rather than told apart.
        if (Directory.Exists(target))
            throw new ArgumentException($"--out {target} is a folder; give the file to write");
        if (File.Exists(target) && new FileInfo(target).Length == 0)
            throw new ArgumentException($"--out {target} exists and is empty or not a regular file (a device or FIFO reads as size 0); remove it or give another file");
        var weights = PyTorchStateDict.From(task.Model);
        try
        {
            StateDictFile.Write(target, format, weights);
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--out {target} cannot be written: {ex.Message}", ex);
        }
        finally
        {
            foreach (var tensor in weights.Values) tensor.Dispose();
        }
        return (target, weights.Count);
    }
}
