using TrainKit.Schedulers.Golden;

namespace TrainKit.Schedulers.Tests;

/// <summary>The repository's scheduler fixtures (tests/fixtures/schedulers; TRAINKIT_GOLDEN overrides); a missing folder fails loudly.</summary>
public static class GoldenFolder
{
    public static string Path => FixtureFolder.Require(AppContext.BaseDirectory);

    public static IEnumerable<string> Files() => FixtureFolder.Files(Path);

    /// <summary>xunit data: every fixture name (the folder is read at discovery, so a missing folder fails discovery too).</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var f in Files()) data.Add(System.IO.Path.GetFileName(f));
        return data;
    }
}
