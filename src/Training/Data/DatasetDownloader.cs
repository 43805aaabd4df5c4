using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace TrainKit.Training.Data;

/// <summary>Progress of one file's download; TotalBytes is null when the server sends no length.</summary>
public sealed record DownloadProgress(string FileName, long BytesReceived, long? TotalBytes);

/// <summary>Downloads a dataset into the cache without ever leaving a half-written dataset there:
/// files go into a hidden staging folder inside the cache root (same file system, so the final rename
/// is atomic), each is checked against its published checksum while it streams, CIFAR archives are
/// unpacked (System.Formats.Tar over GZipStream) only after their checksum passed, and only then is the
/// staging folder renamed to <c>&lt;cache&gt;/&lt;dataset&gt;</c>. Any failure deletes the staging folder.
/// The library reports progress through a callback; the CLI draws it (e.g. with Spectre.Console).</summary>
public sealed class DatasetDownloader
{
    readonly HttpClient http;
    readonly Uri? baseUrlOverride;

    /// <param name="baseUrlOverride">Fetch every file from here instead of the dataset's canonical URL
    /// (a mirror, or a local server in tests). The file names and checksums stay the same.</param>
    public DatasetDownloader(HttpClient? http = null, Uri? baseUrlOverride = null)
    {
        this.http = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        if (baseUrlOverride is not null && !baseUrlOverride.AbsoluteUri.EndsWith('/'))
            baseUrlOverride = new Uri(baseUrlOverride.AbsoluteUri + "/");
        this.baseUrlOverride = baseUrlOverride;
    }

    public Uri UrlOf(DatasetInfo info, RemoteFile file) => new(baseUrlOverride ?? info.DownloadBase, file.FileName);

    /// <summary>Downloads, verifies and installs <paramref name="info"/> as <c>cacheRoot/info.Name</c>;
    /// returns that folder.</summary>
    public async Task<string> DownloadAsync(DatasetInfo info, string cacheRoot, Action<DownloadProgress>? progress = null, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(cacheRoot);
        string final = Path.Combine(cacheRoot, info.Name);
        string staging = Path.Combine(cacheRoot, $".{info.Name}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (RemoteFile file in info.RemoteFiles)
            {
                string temp = Path.Combine(staging, file.FileName + ".download");
                await DownloadVerifiedAsync(UrlOf(info, file), file, temp, final, progress, cancellation);
                if (file.IsTarGz)
                {
                    ExtractTarGz(temp, staging);
                    File.Delete(temp);
                }
                else
                    File.Move(temp, Path.Combine(staging, file.FileName));
            }
            Install(staging, final);
            return final;
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    async Task DownloadVerifiedAsync(Uri url, RemoteFile file, string temp, string final, Action<DownloadProgress>? progress, CancellationToken cancellation)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"downloading {url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        long? total = response.Content.Headers.ContentLength;
        using var hash = IncrementalHash.CreateHash(file.Checksum.Algorithm);
        long received = 0;
        await using (var source = await response.Content.ReadAsStreamAsync(cancellation))
        await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            var buffer = new byte[1 << 16];
            int read;
            progress?.Invoke(new DownloadProgress(file.FileName, 0, total));
            while ((read = await source.ReadAsync(buffer, cancellation)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellation);
                received += read;
                progress?.Invoke(new DownloadProgress(file.FileName, received, total));
            }
        }
        string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != file.Checksum.Hex)
            throw new InvalidDataException(
                $"{url}: checksum mismatch ({received} bytes): expected {file.Checksum}, got {file.Checksum.Algorithm.Name?.ToLowerInvariant()} {actual}. " +
                $"The download was discarded; nothing was written to {final}.");
    }

    /// <summary>Unpacks regular files and folders only, refusing any entry that would land outside
    /// <paramref name="destination"/> (absolute paths, "..").</summary>
    static void ExtractTarGz(string archive, string destination)
    {
        string root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        try
        {
            for (TarEntry? entry; (entry = reader.GetNextEntry()) is not null;)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.Directory))
                    continue; // links, devices, metadata: nothing a dataset needs
                string target = Path.GetFullPath(Path.Combine(destination, entry.Name));
                if (Path.IsPathRooted(entry.Name) || !target.StartsWith(root, StringComparison.Ordinal))
                    throw new InvalidDataException($"{archive}: entry '{entry.Name}' points outside the extraction folder");
                if (entry.EntryType == TarEntryType.Directory)
                    Directory.CreateDirectory(target);
                else
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    entry.ExtractToFile(target, overwrite: false);
                }
            }
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"{archive}: truncated tar.gz archive", ex);
        }
    }

    /// <summary>Renames the verified staging folder into place (atomic on one file system). If the
    /// dataset folder already exists (e.g. a user copied some files there), each file is renamed in.</summary>
    static void Install(string staging, string final)
    {
        if (!Directory.Exists(final))
        {
            Directory.Move(staging, final);
            return;
        }
        foreach (string source in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(final, Path.GetRelativePath(staging, source));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(source, target, overwrite: true);
        }
    }
}
