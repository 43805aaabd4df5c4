namespace TrainKit.Cli.Commands;

/// <summary>Checks an output folder option (--out) before any work starts, so that a bad one is bad input
/// (exit 2) naming the option and the path, not an I/O failure after minutes of training.</summary>
static class OutputFolder
{
    public static string Check(string option, string? path)
    {
        if (path is null) throw new ArgumentException($"{option} is required (the folder to write into)");
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{option} is empty; give the folder to write into");
        if (File.Exists(path)) throw new ArgumentException($"{option} {path} is a file, not a folder");
        try
        {
            Directory.CreateDirectory(path);
            string probe = Path.Combine(path, $".trainkit-write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ArgumentException($"{option} {path} cannot be written: {ex.Message}", ex);
        }
        return path;
    }
}
