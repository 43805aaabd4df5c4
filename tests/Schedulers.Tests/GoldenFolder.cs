using TrainKit.Schedulers.Golden;

namespace TrainKit.Schedulers.Tests;

/// <summary>Locates shared/golden/schedulers (TRAINKIT_GOLDEN overrides); a missing folder fails loudly.</summary>
public static class GoldenFolder
{
    public static string Path => GoldenReplay.FindFolder(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException(
            Environment.GetEnvironmentVariable("TRAINKIT_GOLDEN") is { Length: > 0 } env
                ? $"golden schedules not found: TRAINKIT_GOLDEN is set to '{env}', which is not a folder"
                : "golden schedules not found: expected ../shared/golden/schedulers next to the folder holding TrainKit.sln " +
                  $"(searched up from {AppContext.BaseDirectory}), or set TRAINKIT_GOLDEN to the folder");

    public static IEnumerable<string> Files() => Directory.GetFiles(Path, "*.json").OrderBy(f => f, StringComparer.Ordinal);

    /// <summary>xunit data: every golden file name (the folder is read at discovery, so a missing folder fails discovery too).</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var f in Files()) data.Add(System.IO.Path.GetFileName(f));
        return data;
    }
}
