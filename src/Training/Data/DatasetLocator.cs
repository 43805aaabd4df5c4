namespace TrainKit.Training.Data;

public enum DataSourceKind { Embedded, ExplicitPath, EnvironmentVariable, UserCache, DebianPackage, Downloaded }

/// <summary>A folder that holds a dataset's files, and how it was found.</summary>
public sealed record DatasetLocation(string Folder, DataSourceKind Kind);

/// <summary>Finds a dataset on disk following <see cref="DataLocatorOptions"/>' resolution order,
/// downloading it into the cache as the last resort.</summary>
public static class DatasetLocator
{
    public static async Task<DatasetLocation> LocateAsync(DatasetInfo info, DatasetSplit split, DataLocatorOptions options, CancellationToken cancellation = default)
    {
        if (!string.IsNullOrEmpty(options.ExplicitPath))
        {
            return FindIn(options.ExplicitPath, info, split) is { } folder
                ? new DatasetLocation(folder, DataSourceKind.ExplicitPath)
                : throw new FileNotFoundException(
                    $"--data {options.ExplicitPath}: no {info.Name} {Describe(split)} files there or in its '{info.Name}' subfolder (expected {string.Join(", ", info.RequiredFiles(split))})",
                    options.ExplicitPath);
        }

        var searched = new List<string>();
        string? environmentRoot = options.GetEnvironmentVariable(DataLocatorOptions.DataEnvironmentVariable);
        if (!string.IsNullOrEmpty(environmentRoot))
        {
            if (FindIn(environmentRoot, info, split) is { } folder) return new(folder, DataSourceKind.EnvironmentVariable);
            searched.Add($"${DataLocatorOptions.DataEnvironmentVariable}={environmentRoot}");
        }

        string cacheRoot = options.ResolveCacheRoot();
        string cacheFolder = Path.Combine(cacheRoot, info.Name);
        if (Has(cacheFolder, info, split) is { } cached) return new(cached, DataSourceKind.UserCache);
        searched.Add(cacheFolder);

        if (info.Name == KnownDatasets.FashionMnist.Name && !string.IsNullOrEmpty(options.DebianFashionMnistFolder))
        {
            if (Has(options.DebianFashionMnistFolder, info, split) is { } debian) return new(debian, DataSourceKind.DebianPackage);
            searched.Add(options.DebianFashionMnistFolder);
        }

        if (!options.DownloadsAllowed)
            throw new DatasetUnavailableException(
                $"{info.Name} {Describe(split)} files not found (looked in {string.Join(", ", searched)}) and downloading is off" +
                $"{(options.AllowDownload ? $" (${DataLocatorOptions.OfflineEnvironmentVariable} is set)" : "")}; {Hint(info, cacheFolder)}");

        var downloader = options.Downloader ?? new DatasetDownloader();
        string downloaded;
        try
        {
            downloaded = await downloader.DownloadAsync(info, cacheRoot, options.Progress, cancellation);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException { CancellationToken.IsCancellationRequested: false }
                                       or System.Net.Sockets.SocketException)
        {
            // No network, a DNS failure, a timeout or an HTTP error: name what was wanted and how to supply it by hand.
            string reason = ex is TaskCanceledException ? "the download timed out" : ex.Message;
            throw new DatasetUnavailableException(
                $"{info.Name} is not on disk (looked in {string.Join(", ", searched)}) and could not be downloaded from {info.DownloadBase}: {reason}; {Hint(info, cacheFolder)}", ex);
        }
        return Has(downloaded, info, split) is { } folderAfterDownload
            ? new DatasetLocation(folderAfterDownload, DataSourceKind.Downloaded)
            : throw new InvalidDataException($"{downloaded}: the downloaded {info.Name} archive does not contain {string.Join(", ", info.RequiredFiles(split))}");
    }

    /// <summary>How to give TrainKit a copy made elsewhere.</summary>
    static string Hint(DatasetInfo info, string cacheFolder) =>
        $"put {string.Join(", ", info.RemoteFiles.Select(f => f.FileName))} (or their contents{(string.IsNullOrEmpty(info.Subfolder) ? "" : $", the {info.Subfolder} folder")}) into {cacheFolder}, " +
        $"or pass --data DIR / set ${DataLocatorOptions.DataEnvironmentVariable}=DIR to a folder that holds them";

    /// <summary>A data root holds the dataset directly or in a subfolder named after it.</summary>
    static string? FindIn(string root, DatasetInfo info, DatasetSplit split) =>
        Has(Path.Combine(root, info.Name), info, split) ?? Has(root, info, split);

    /// <summary>The folder the reader should open, if <paramref name="folder"/> holds the split.</summary>
    static string? Has(string folder, DatasetInfo info, DatasetSplit split)
    {
        if (!Directory.Exists(folder)) return null;
        return info.Format == DatasetFormat.Idx
            ? IdxImageFolder.Contains(folder, split, info) ? folder : null
            : CifarBinary.FindFolder(folder, split, info) is null ? null : folder;
    }

    static string Describe(DatasetSplit split) => split.ToString().ToLowerInvariant();
}
