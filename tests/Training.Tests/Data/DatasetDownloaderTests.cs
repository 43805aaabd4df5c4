using TrainKit.Training.Data;

namespace TrainKit.Training.Tests.Data;

public class DatasetDownloaderTests : TempFolderTest
{
    static Dictionary<string, byte[]> SynthesizedCifar10Archive()
    {
        var files = new Dictionary<string, byte[]>();
        for (int b = 1; b <= 5; b++)
            files[$"cifar-10-batches-bin/data_batch_{b}.bin"] = TestFiles.CifarRecords(2, 1, i => [(byte)(b + i)]);
        files["cifar-10-batches-bin/test_batch.bin"] = TestFiles.CifarRecords(3, 1, i => [(byte)i]);
        files["cifar-10-batches-bin/batches.meta.txt"] = "plane\ncar\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n"u8.ToArray();
        return new() { ["cifar-10-binary.tar.gz"] = TestFiles.TarGz(files) };
    }

    static DatasetInfo WithChecksum(DatasetInfo info, byte[] archive) =>
        info with { RemoteFiles = [new RemoteFile(info.RemoteFiles[0].FileName, Checksum.Md5(TestFiles.Md5(archive)), IsTarGz: true)] };

    static void AssertNothingHalfWritten(string cacheRoot, string dataset)
    {
        Assert.False(Directory.Exists(Path.Combine(cacheRoot, dataset)), "no dataset folder may appear");
        Assert.Empty(Directory.EnumerateFileSystemEntries(cacheRoot));
    }

    [Fact]
    public async Task Downloads_verifies_and_unpacks_a_cifar_archive_from_a_mirror()
    {
        var served = SynthesizedCifar10Archive();
        using var server = new LoopbackHttpServer(served);
        var info = WithChecksum(KnownDatasets.Cifar10, served["cifar-10-binary.tar.gz"]);
        string cache = TempFolder();
        var progress = new List<DownloadProgress>();

        string folder = await new DatasetDownloader(baseUrlOverride: server.BaseUrl).DownloadAsync(info, cache, progress.Add);

        Assert.Equal(Path.Combine(cache, "cifar10"), folder);
        Assert.Equal(new[] { "cifar10" }, Directory.EnumerateFileSystemEntries(cache).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(folder, "cifar-10-binary.tar.gz")), "the archive is removed after unpacking");
        using var train = ImageDatasets.LoadFrom(folder, info, DatasetSplit.Train);
        Assert.Equal(10, train.Count);
        Assert.Equal("plane", train.ClassNames[0]);
        long size = served["cifar-10-binary.tar.gz"].Length;
        Assert.Equal(new DownloadProgress("cifar-10-binary.tar.gz", size, size), progress[^1]);
        Assert.True(progress.Select(p => p.BytesReceived).SequenceEqual(progress.Select(p => p.BytesReceived).Order()));
    }

    [Fact]
    public async Task Idx_files_are_checked_with_sha256_or_md5()
    {
        var (images, labels) = TestFiles.IdxPair(5);
        var served = new Dictionary<string, byte[]>
        {
            ["t10k-images-idx3-ubyte.gz"] = TestFiles.Gzip(images),
            ["t10k-labels-idx1-ubyte.gz"] = TestFiles.Gzip(labels),
        };
        using var server = new LoopbackHttpServer(served);
        var info = KnownDatasets.Mnist with
        {
            RemoteFiles =
            [
                new("t10k-images-idx3-ubyte.gz", Checksum.Sha256(TestFiles.Sha256(served["t10k-images-idx3-ubyte.gz"]))),
                new("t10k-labels-idx1-ubyte.gz", Checksum.Md5(TestFiles.Md5(served["t10k-labels-idx1-ubyte.gz"]))),
            ],
        };
        string cache = TempFolder();
        string folder = await new DatasetDownloader(baseUrlOverride: server.BaseUrl).DownloadAsync(info, cache);
        using var test = ImageDatasets.LoadFrom(folder, info, DatasetSplit.Test);
        Assert.Equal(5, test.Count);
    }

    [Fact]
    public async Task A_corrupted_archive_fails_the_checksum_and_leaves_nothing_in_the_cache()
    {
        var served = SynthesizedCifar10Archive();
        var info = WithChecksum(KnownDatasets.Cifar10, served["cifar-10-binary.tar.gz"]);
        served["cifar-10-binary.tar.gz"][100] ^= 0xFF; // one flipped byte in transit
        using var server = new LoopbackHttpServer(served);
        string cache = TempFolder();

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => new DatasetDownloader(baseUrlOverride: server.BaseUrl).DownloadAsync(info, cache));

        Assert.Contains("checksum mismatch", ex.Message);
        Assert.Contains(server.BaseUrl + "cifar-10-binary.tar.gz", ex.Message);
        Assert.Contains(info.RemoteFiles[0].Checksum.Hex, ex.Message);
        AssertNothingHalfWritten(cache, "cifar10");
    }

    [Fact]
    public async Task A_missing_file_on_the_server_is_an_http_error_and_leaves_nothing()
    {
        using var server = new LoopbackHttpServer([]);
        string cache = TempFolder();
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => new DatasetDownloader(baseUrlOverride: server.BaseUrl).DownloadAsync(KnownDatasets.Cifar100, cache));
        Assert.Contains("404", ex.Message);
        AssertNothingHalfWritten(cache, "cifar100");
    }

    [Fact]
    public async Task Archive_entries_that_escape_the_folder_are_refused()
    {
        byte[] archive = TestFiles.TarGz(new Dictionary<string, byte[]> { ["../escaped.bin"] = [1, 2, 3] });
        using var server = new LoopbackHttpServer(new() { ["cifar-10-binary.tar.gz"] = archive });
        string parent = TempFolder();
        string cache = Path.Combine(parent, "cache");
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() =>
            new DatasetDownloader(baseUrlOverride: server.BaseUrl).DownloadAsync(WithChecksum(KnownDatasets.Cifar10, archive), cache));
        Assert.Contains("outside the extraction folder", ex.Message);
        Assert.False(File.Exists(Path.Combine(cache, "escaped.bin")));
        AssertNothingHalfWritten(cache, "cifar10");
    }
}
