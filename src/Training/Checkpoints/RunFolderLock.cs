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

    /// <summary>A shared lock on a folder another process writes, for reading it (a fork reads its parent run): while a
    /// writer holds its exclusive lock this throws an <see cref="ArgumentException"/> naming the holder's PID, and while
    /// it is held no writer can start. The lock file is only opened for reading; a folder without one (never written by
    /// a trainer that locks) is read without a lock (null), since creating the file would write into the folder.</summary>
    public static RunFolderLock? AcquireShared(string folder, string lockFile = RunLockFile, string what = "run folder")
    {
        string path = Path.Combine(folder, lockFile);
        if (!File.Exists(path)) return null;
        try
        {
            // On Unix .NET takes flock(LOCK_SH) for a read-only handle that shares the file.
            return new RunFolderLock(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new ArgumentException(
                $"{what} {folder} is being written by another process ({Holder(path)}); wait for it to finish before reading it", ex);
        }
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
