namespace TrainKit.IO;

/// <summary>
/// Writes a file so that a reader, or a process killed at any moment, sees either the old file or the whole new
/// one: the bytes go to a uniquely named temporary file in the same folder, are flushed to disk, and the
/// temporary file is renamed over the target. Concurrent writers (sweep shards) each use their own temporary file.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string target = Path.GetFullPath(path);
        RequireReplaceable(target);
        string folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            WriteDurably(temp, write);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The rename replaces whatever the target path names: as root, an output path of /dev/zero swapped the
    /// device node for a regular file (it happened in a fuzzer run), and /dev/stdout would lose its link. Only a missing
    /// target or a regular file (directly or through links) may be replaced; a folder, device, FIFO or socket is refused.</summary>
    static void RequireReplaceable(string target)
    {
        if (Directory.Exists(target)) throw new IOException($"{target} is a folder; give a file name to write to");
        if (OperatingSystem.IsLinux() && FileTypes.Of(target) is { } type && type != FileTypes.Regular && type != FileTypes.Directory)
            throw new IOException($"{target} is a {FileTypes.Describe(type)}, not a regular file; refusing to replace it (write to a file instead)");
    }

    public static void WriteAllText(string path, string text) => Write(path, s => s.Write(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>Writes a new file and flushes it to disk (no rename: for files inside a folder that is itself
    /// renamed into place, like a checkpoint's parts).</summary>
    public static void WriteDurably(string path, Action<Stream> write)
    {
        // Writers such as Module.save close the stream they are given, so they write to memory first.
        var buffer = new MemoryStream();
        write(buffer);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        file.Write(buffer.ToArray()); // ToArray, unlike GetBuffer, works on a closed MemoryStream
        file.Flush(flushToDisk: true);
    }
}
