using TrainKit.Training.Data;

namespace TrainKit.Training.Tests.Data;

public class DatasetLocatorTests : TempFolderTest
{
    static DataLocatorOptions Options(Dictionary<string, string>? environment = null) => new()
    {
        GetEnvironmentVariable = name => environment?.GetValueOrDefault(name),
        DebianFashionMnistFolder = null,
        AllowDownload = false,
    };

    static string MnistFolder(string root, string? subfolder = null)
    {
        string folder = subfolder is null ? root : Path.Combine(root, subfolder);
        Directory.CreateDirectory(folder);
        TestFiles.WriteIdxSplit(folder, "train", 2, gzip: true);
        return folder;
    }

    static DatasetLocation Locate(DatasetInfo info, DataLocatorOptions options) =>
        DatasetLocator.LocateAsync(info, DatasetSplit.Train, options).GetAwaiter().GetResult();

    [Fact]
    public void Explicit_path_beats_the_environment_and_the_cache()
    {
        string env = TempFolder(), xdg = TempFolder(), explicitPath = TempFolder();
        MnistFolder(env, "mnist");
        MnistFolder(Path.Combine(xdg, "trainkit"), "mnist");
        MnistFolder(explicitPath);
        var options = Options(new() { ["TRAINKIT_DATA"] = env, ["XDG_CACHE_HOME"] = xdg }) with { ExplicitPath = explicitPath };
        Assert.Equal(new DatasetLocation(explicitPath, DataSourceKind.ExplicitPath), Locate(KnownDatasets.Mnist, options));
    }

    [Fact]
    public void A_wrong_explicit_path_is_an_error_even_if_the_data_exists_elsewhere()
    {
        string env = TempFolder();
        MnistFolder(env, "mnist");
        var options = Options(new() { ["TRAINKIT_DATA"] = env }) with { ExplicitPath = TempFolder(), AllowDownload = true };
        var ex = Assert.Throws<FileNotFoundException>(() => Locate(KnownDatasets.Mnist, options));
        Assert.Contains("--data", ex.Message);
    }

    [Fact]
    public void Environment_beats_the_cache_and_the_cache_respects_XDG_CACHE_HOME()
    {
        string env = TempFolder(), xdg = TempFolder();
        string fromEnvironment = MnistFolder(env, "mnist");
        string cached = MnistFolder(Path.Combine(xdg, "trainkit"), "mnist");
        Assert.Equal(new DatasetLocation(fromEnvironment, DataSourceKind.EnvironmentVariable),
            Locate(KnownDatasets.Mnist, Options(new() { ["TRAINKIT_DATA"] = env, ["XDG_CACHE_HOME"] = xdg })));
        Assert.Equal(new DatasetLocation(cached, DataSourceKind.UserCache),
            Locate(KnownDatasets.Mnist, Options(new() { ["TRAINKIT_DATA"] = TempFolder(), ["XDG_CACHE_HOME"] = xdg })));
    }

    [Fact]
    public void Without_XDG_CACHE_HOME_the_cache_is_under_HOME()
    {
        string home = TempFolder();
        Assert.Equal(Path.Combine(home, ".cache", "trainkit"), Options(new() { ["HOME"] = home }).ResolveCacheRoot());
        Assert.Equal(Path.Combine(home, ".cache", "trainkit"), Options(new() { ["HOME"] = home, ["XDG_CACHE_HOME"] = "relative/ignored" }).ResolveCacheRoot());
    }

    [Fact]
    public void The_debian_package_is_used_for_fashion_mnist_only()
    {
        string debian = MnistFolder(TempFolder());
        var options = Options(new() { ["XDG_CACHE_HOME"] = TempFolder() }) with { DebianFashionMnistFolder = debian };
        Assert.Equal(new DatasetLocation(debian, DataSourceKind.DebianPackage), Locate(KnownDatasets.FashionMnist, options));
        var ex = Assert.Throws<DatasetUnavailableException>(() => Locate(KnownDatasets.Mnist, options));
        Assert.Contains("downloading is off", ex.Message);
    }

    [Fact]
    public void TRAINKIT_OFFLINE_stops_any_download_and_says_where_to_put_the_files()
    {
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]>());
        string xdg = TempFolder();
        var options = Options(new() { ["XDG_CACHE_HOME"] = xdg, ["TRAINKIT_OFFLINE"] = "1" }) with
        {
            AllowDownload = true,
            Downloader = new DatasetDownloader(baseUrlOverride: server.BaseUrl),
        };
        var ex = Assert.Throws<DatasetUnavailableException>(() => Locate(KnownDatasets.Mnist, options));
        Assert.Equal(0, server.Requests);
        foreach (var part in new[] { "mnist", "TRAINKIT_OFFLINE", Path.Combine(xdg, "trainkit", "mnist"), "--data", "$TRAINKIT_DATA", "train-images-idx3-ubyte.gz" })
            Assert.Contains(part, ex.Message);
    }

    [Theory]
    [InlineData(true)]    // nothing listens: connection refused, as with no network
    [InlineData(false)]   // the server answers 404
    public void A_failed_download_names_the_dataset_the_cache_folder_and_the_data_hint(bool unreachable)
    {
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]>());
        var baseUrl = unreachable ? new Uri("http://127.0.0.1:1/") : server.BaseUrl;
        string xdg = TempFolder();
        var options = Options(new() { ["XDG_CACHE_HOME"] = xdg }) with
        {
            AllowDownload = true,
            Downloader = new DatasetDownloader(baseUrlOverride: baseUrl),
        };
        var ex = Assert.Throws<DatasetUnavailableException>(() => Locate(KnownDatasets.Cifar10, options));
        foreach (var part in new[] { "cifar10", "could not be downloaded", Path.Combine(xdg, "trainkit", "cifar10"), "cifar-10-batches-bin", "--data", "$TRAINKIT_DATA" })
            Assert.Contains(part, ex.Message);
        Assert.IsAssignableFrom<HttpRequestException>(ex.InnerException);
        Assert.False(Directory.Exists(Path.Combine(xdg, "trainkit", "cifar10")), "a failed download must leave no dataset folder");
    }

    [Fact]
    public void Downloads_into_the_cache_once_then_finds_it_there()
    {
        var (images, labels) = TestFiles.IdxPair(4);
        var served = new Dictionary<string, byte[]>
        {
            ["train-images-idx3-ubyte.gz"] = TestFiles.Gzip(images),
            ["train-labels-idx1-ubyte.gz"] = TestFiles.Gzip(labels),
        };
        var info = KnownDatasets.Mnist with
        {
            RemoteFiles = [.. served.Select(f => new RemoteFile(f.Key, Checksum.Sha256(TestFiles.Sha256(f.Value))))],
        };
        using var server = new LoopbackHttpServer(served);
        string xdg = TempFolder();
        var options = Options(new() { ["XDG_CACHE_HOME"] = xdg }) with
        {
            AllowDownload = true,
            Downloader = new DatasetDownloader(baseUrlOverride: server.BaseUrl),
        };
        string expected = Path.Combine(xdg, "trainkit", "mnist");
        Assert.Equal(new DatasetLocation(expected, DataSourceKind.Downloaded), Locate(info, options));
        Assert.Equal(2, server.Requests);
        Assert.Equal(new DatasetLocation(expected, DataSourceKind.UserCache), Locate(info, options));
        Assert.Equal(2, server.Requests);
    }
}
