using TrainKit.Schedulers.Golden;

namespace TrainKit.Schedulers.Tests.Golden;

public class GoldenReplayTests
{
    public static TheoryData<string> Files => GoldenFolder.Names();

    [Fact]
    public void The_golden_folder_holds_the_recorded_files()
    {
        Assert.True(GoldenFolder.Files().Count() >= 22, $"expected the 22 golden files in {GoldenFolder.Path}");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Replaying_a_golden_file_matches_every_lr_and_momentum(string file)
    {
        var golden = GoldenFile.Load(System.IO.Path.Combine(GoldenFolder.Path, file));
        var result = GoldenReplay.Run(golden);
        Assert.True(result.Passed,
            $"{file}: max lr error {result.MaxLrError:E3} (worst at step {result.WorstLrStep}), max momentum error {result.MaxMomentumError:E3}, tolerance {ReplayResult.Tolerance:E0}");
        Assert.Equal(golden.Lrs.Length - 1, result.Steps);
    }
}
