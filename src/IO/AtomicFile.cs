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
