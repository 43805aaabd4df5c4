namespace TrainKit.Build.Tests.Layers;

/// <summary>The checkout the tests run from: the first folder above the test binaries that holds TrainKit.sln.</summary>
static class RepositoryFiles
{
    public static string Root { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TrainKit.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no TrainKit.sln above {AppContext.BaseDirectory}");
    }

    public static string PathOf(string relative) => Path.Combine(Root, relative);
}
