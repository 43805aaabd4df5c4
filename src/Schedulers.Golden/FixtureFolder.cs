namespace TrainKit.Schedulers.Golden;

/// <summary>
/// Where the recorded trajectories live: <c>tests/fixtures/schedulers</c> in the repository (found by walking up
/// from a start folder to the one holding TrainKit.sln), or <c>fixtures/schedulers</c> copied beside the CLI.
/// TRAINKIT_GOLDEN overrides both. Nothing outside the repository is read.
/// </summary>
public static class FixtureFolder
{
    public const string EnvironmentVariable = "TRAINKIT_GOLDEN";
    public static readonly string RepositoryRelativePath = Path.Combine("tests", "fixtures", "schedulers");
    public static readonly string AppRelativePath = Path.Combine("fixtures", "schedulers");

    /// <summary>The fixture folder seen from <paramref name="starts"/> (e.g. the current directory, then the app's
    /// base directory); null when none holds one. A TRAINKIT_GOLDEN that is not a folder is an error naming it.</summary>
    public static string? Find(params string[] starts)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env)
            return Directory.Exists(env) ? Path.GetFullPath(env)
                : throw new DirectoryNotFoundException($"{EnvironmentVariable} is set to '{env}', which is not a folder");
        foreach (string start in starts)
        {
            string beside = Path.Combine(start, AppRelativePath);
            if (Directory.Exists(beside)) return Path.GetFullPath(beside);
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "TrainKit.sln")))
                {
                    string candidate = Path.Combine(dir.FullName, RepositoryRelativePath);
                    if (Directory.Exists(candidate)) return candidate;
                    break;
                }
        }
        return null;
    }

    /// <summary>Like <see cref="Find"/>, but a missing folder is an error that says where it looked.</summary>
    public static string Require(params string[] starts) => Find(starts)
        ?? throw new DirectoryNotFoundException(
            $"scheduler fixtures not found: expected {RepositoryRelativePath} under the folder holding TrainKit.sln, or {AppRelativePath} " +
            $"beside the app (searched from {string.Join(", ", starts)}); set {EnvironmentVariable} to a folder of fixtures");

    /// <summary>The fixture files of a folder, in name order.</summary>
    public static string[] Files(string folder) => Directory.GetFiles(folder, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToArray();
}
