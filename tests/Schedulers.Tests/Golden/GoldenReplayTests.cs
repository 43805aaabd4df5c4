using TrainKit.Schedulers.Golden;

namespace TrainKit.Schedulers.Tests.Golden;

public class GoldenReplayTests
{
    public static TheoryData<string> Files => GoldenFolder.Names();

    [Fact]
    public void The_fixture_folder_is_inside_the_repository_and_holds_the_recorded_files()
    {
        // TRAINKIT_GOLDEN may point at an older, smaller recording; without it, the repository's 41 fixtures are used.
        bool overridden = Environment.GetEnvironmentVariable(FixtureFolder.EnvironmentVariable) is { Length: > 0 };
        if (!overridden) Assert.EndsWith(FixtureFolder.RepositoryRelativePath, GoldenFolder.Path);
        Assert.True(GoldenFolder.Files().Count() >= (overridden ? 1 : 41), $"expected the 41 recorded fixtures in {GoldenFolder.Path}");
    }

    [Fact]
    public void Every_fixture_says_which_torch_recorded_it_or_which_formula_it_follows()
    {
        foreach (var file in GoldenFolder.Files())
        {
            var golden = GoldenFile.Load(file);
            Assert.True(golden.Source.StartsWith("torch ", StringComparison.Ordinal) || golden.Source.StartsWith("closed form", StringComparison.Ordinal),
                $"{file}: source '{golden.Source}'");
            Assert.Equal(golden.Steps + 1, golden.Lrs.Length);
        }
    }

    /// <summary>Every fixture, in every category, replays within 1e-12.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void Replaying_a_fixture_matches_every_lr_and_momentum(string file)
    {
        var golden = GoldenFile.Load(System.IO.Path.Combine(GoldenFolder.Path, file));
        var result = GoldenReplay.Run(golden);
        string detail = $"{file} [{golden.Category}]: max lr error {result.MaxLrError:E3} (worst at step {result.WorstLrStep}), " +
                        $"max momentum error {result.MaxMomentumError:E3}, tolerance {ReplayResult.Tolerance:E0}{(result.Error is null ? "" : ", error: " + result.Error)}";
        Assert.True(result.Passed, detail);
        Assert.Equal(golden.Lrs.Length - 1, result.Steps);
    }

    [Fact]
    public void A_value_off_by_1e_minus_9_fails_the_replay()
    {
        var golden = GoldenFile.Load(System.IO.Path.Combine(GoldenFolder.Path, "StepLR.json"));
        var lrs = golden.Lrs.Select(r => (double[])r.Clone()).ToArray();
        lrs[20][0] *= 1 + 1e-9;
        var result = GoldenReplay.Run(golden with { Lrs = lrs });
        Assert.False(result.Passed);
        Assert.Equal(20, result.WorstLrStep);
    }

    [Fact]
    public void A_refused_spec_is_a_failed_result_carrying_the_message_not_a_crash()
    {
        var golden = GoldenFile.Load(System.IO.Path.Combine(GoldenFolder.Path, "StepLR.json"));
        var result = GoldenReplay.Run(golden with { Kind = "NoSuchKind" });
        Assert.False(result.Passed);
        Assert.Contains("NoSuchKind", result.Error);
    }

    [Fact]
    public void The_default_folder_is_found_without_anything_beside_the_repository()
    {
        // Walking up from a folder inside the repository finds tests/fixtures/schedulers there, never ../shared.
        var found = FixtureFolder.Find(AppContext.BaseDirectory);
        Assert.NotNull(found);
        if (Environment.GetEnvironmentVariable(FixtureFolder.EnvironmentVariable) is not { Length: > 0 })
            Assert.DoesNotContain($"{System.IO.Path.DirectorySeparatorChar}shared{System.IO.Path.DirectorySeparatorChar}", found);
        Assert.Null(FixtureFolderWithoutEnvironment(System.IO.Path.GetTempPath()));
    }

    static string? FixtureFolderWithoutEnvironment(string start)
    {
        string? saved = Environment.GetEnvironmentVariable(FixtureFolder.EnvironmentVariable);
        Environment.SetEnvironmentVariable(FixtureFolder.EnvironmentVariable, null);
        try { return FixtureFolder.Find(start); }
        finally { Environment.SetEnvironmentVariable(FixtureFolder.EnvironmentVariable, saved); }
    }
}
