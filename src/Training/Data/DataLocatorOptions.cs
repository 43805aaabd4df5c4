namespace TrainKit.Training.Data;

/// <summary>Where to look for datasets, in order: <see cref="ExplicitPath"/> (the CLI's --data),
/// $TRAINKIT_DATA, the user cache ($XDG_CACHE_HOME/trainkit or ~/.cache/trainkit), Debian's
/// dataset-fashion-mnist package (Fashion-MNIST only), then a download into the cache.</summary>
public sealed record DataLocatorOptions
{
    public const string DataEnvironmentVariable = "TRAINKIT_DATA";

    /// <summary>Set to 1 or true, nothing is downloaded (as HF_HUB_OFFLINE): a dataset missing on disk is an error naming where to put it.</summary>
    public const string OfflineEnvironmentVariable = "TRAINKIT_OFFLINE";

    /// <summary>A folder holding the dataset's files (or a subfolder named after the dataset). When set,
    /// it is the only place looked at: a wrong path is an error, not a silent download.</summary>
    public string? ExplicitPath { get; init; }

    public bool AllowDownload { get; init; } = true;

    /// <summary>Downloads are allowed unless <see cref="AllowDownload"/> is off or $TRAINKIT_OFFLINE is 1/true.</summary>
    public bool DownloadsAllowed => AllowDownload
        && GetEnvironmentVariable(OfflineEnvironmentVariable)?.Trim().ToLowerInvariant() is not ("1" or "true" or "yes");

    /// <summary>Overrides the cache root (otherwise from XDG_CACHE_HOME / HOME).</summary>
    public string? CacheRoot { get; init; }

    public string? DebianFashionMnistFolder { get; init; } = "/usr/share/datasets/fashion-mnist";

    /// <summary>Injectable for tests; the process environment by default.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    public DatasetDownloader? Downloader { get; init; }

    public Action<DownloadProgress>? Progress { get; init; }

    public string ResolveCacheRoot()
    {
        if (!string.IsNullOrEmpty(CacheRoot)) return CacheRoot;
        string? xdg = GetEnvironmentVariable("XDG_CACHE_HOME");
        // The XDG spec: a relative XDG_CACHE_HOME is invalid and must be ignored.
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "trainkit");
        string home = GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "trainkit");
    }
}
