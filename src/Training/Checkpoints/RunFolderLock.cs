using System.Globalization;
using TrainKit.IO;

namespace TrainKit.Training.Checkpoints;

/// <summary>
/// An exclusive lock on a folder that one process writes (a run folder, a sweep cell): a lock file opened with
/// <see cref="FileShare.None"/>, which .NET takes as an advisory <c>flock(LOCK_EX)</c> on Unix. The kernel drops
/// it when the holder exits or is killed, so a stale lock never needs cleaning up. The holder's PID goes into a
/// sibling file (the lock file itself cannot be read while locked) so that a second writer can say who holds it.
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    /// <summary>The lock file a run folder's writer (the trainer) holds.</summary>
    public const string RunLockFile = ".trainkit.lock";
    /// <summary>The lock file a sweep cell's runner holds around training, analysis and done.json.</summary>
    public const string CellLockFile = ".trainkit-cell.lock";
    const string OwnerSuffix = ".owner";

    readonly FileStream _lock;

    RunFolderLock(FileStream held) => _lock = held;

    /// <summary>Takes the lock or throws an <see cref="ArgumentException"/> (bad input: exit 2) naming the folder and the holder's PID.</summary>
    public static RunFolderLock Acquire(string folder, string lockFile = RunLockFile, string what = "run folder")
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, lockFile);
        FileStream held;
        try
        {
            held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path))
        {
            throw new ArgumentException(
                $"{what} {folder} is in use by another process ({Holder(path)}); wait for it to finish or choose another folder", ex);
        }
        AtomicFile.WriteAllText(path + OwnerSuffix, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new RunFolderLock(held);
    }

    static string Holder(string lockPath)
    {
        try
        {
            string pid = File.ReadAllText(lockPath + OwnerSuffix).Trim();
            return $"PID {pid}";
        }
        catch (IOException)
        {
            return "PID unknown";
        }
    }

    public void Dispose() => _lock.Dispose();
}
