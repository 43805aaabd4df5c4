using System.Globalization;
using TorchSharp;
using TrainKit.IO;

namespace TrainKit.Training.Checkpoints;

/// <summary>
/// Copies of a run's model weights kept at chosen steps (<c>snapshot_epochs</c>), under
/// <c>RUN_DIR/snapshots/step-NNNNNNNNN.bin</c>. Unlike checkpoints they are never pruned: they are results,
/// e.g. the cycle-end models of SGDR that a snapshot ensemble averages. Each file is written atomically
/// (<see cref="AtomicFile"/>), so a killed run leaves no half-written snapshot.
/// </summary>
public static class ModelSnapshots
{
    public const string FolderName = "snapshots";

    public static string PathFor(string runDirectory, long step) =>
        Path.Combine(runDirectory, FolderName, $"step-{step.ToString("D9", CultureInfo.InvariantCulture)}.bin");

    public static void Save(torch.nn.Module model, string runDirectory, long step)
    {
        AtomicFile.Write(PathFor(runDirectory, step), s => model.save(s));
    }

    /// <summary>The run's snapshots, oldest first.</summary>
    public static IReadOnlyList<(long Step, string Path)> List(string runDirectory)
    {
        string folder = Path.Combine(runDirectory, FolderName);
        if (!Directory.Exists(folder)) return [];
        return [.. Directory.GetFiles(folder, "step-*.bin")
            .Select(p => (Step: long.Parse(Path.GetFileNameWithoutExtension(p)["step-".Length..], CultureInfo.InvariantCulture), Path: p))
            .OrderBy(s => s.Step)];
    }
}
