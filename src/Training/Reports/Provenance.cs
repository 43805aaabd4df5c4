using System.Diagnostics;
using System.Text.Json;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;

namespace TrainKit.Training.Reports;

/// <summary>report/provenance.json: the git commit the report was built from (and whether tracked files had
/// uncommitted changes), the command, and the SHA-256 of every cell's resolved configuration.</summary>
public static class Provenance
{
    public const string FileName = "provenance.json";

    public sealed record Document(string Commit, bool Dirty, string? Command, IReadOnlyDictionary<string, string> ConfigSha256);

    /// <summary>The commit is looked up from the sweep folder (a sweep kept inside the repository) and, when that is not
    /// in a repository (e.g. a sweep on a scratch disk), from the current directory, where `trainkit` is run from.</summary>
    public static Document Of(IReadOnlyList<Cell> cells, string? command, string sweepDirectory)
    {
        var (repository, head) = new[] { sweepDirectory, Environment.CurrentDirectory }
            .Select(d => (Directory: d, Head: Git(d, "rev-parse HEAD"))).FirstOrDefault(r => r.Head is not null);
        string commit = head ?? "unknown";
        bool dirty = head is not null && Git(repository, "status --porcelain --untracked-files=no") is { Length: > 0 };
        return new Document(commit, dirty, command, cells.ToDictionary(c => c.Name, c => ConfigHash.Of(c.Config)));
    }

    public static string Serialize(Document document) => JsonSerializer.Serialize(document, RunConfigJson.Options);

    /// <summary>The trimmed stdout of a git command, or null where git or a repository is missing.</summary>
    static string? Git(string workingDirectory, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = Path.GetFullPath(workingDirectory),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null) return null;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
