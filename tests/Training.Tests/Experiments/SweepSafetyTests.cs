using TrainKit.Training.Checkpoints;
using TrainKit.Training.Experiments;

namespace TrainKit.Training.Tests.Experiments;

public class SweepSafetyTests
{
    static ExperimentSpec Spec(string variant = "cosine", params long[] seeds) => new()
    {
        Name = "safety", Variants = [new VariantSpec(variant)], Seeds = seeds.Length > 0 ? [.. seeds] : [0],
    };

    [Theory]
    [InlineData("../..")]
    [InlineData("/tmp/elsewhere")]
    [InlineData("a/b")]
    [InlineData("")]
    public void A_variant_name_that_is_a_path_is_refused(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sweep(Spec(name), "/nonexistent").Cells());
        Assert.Contains($"variant name '{name}'", ex.Message);
    }

    [Fact]
    public void A_seed_listed_twice_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sweep(Spec("cosine", 0, 0), "/nonexistent").Cells());
        Assert.Contains("seed 0 twice", ex.Message);
    }

    [Fact]
    public void A_cell_another_runner_holds_is_refused_naming_its_pid_and_not_touched()
    {
        string outDir = Directory.CreateTempSubdirectory("trainkit-sweep-").FullName;
        var sweep = new Sweep(Spec(), outDir);
        Cell cell = sweep.Cells()[0];
        using (RunFolderLock.Acquire(sweep.CellDirectory(cell), RunFolderLock.CellLockFile, "sweep cell"))
        {
            bool ran = false;
            var ex = Assert.Throws<ArgumentException>(() => sweep.Run(Shard.All, (_, _) => ran = true));
            Assert.Contains($"sweep cell {sweep.CellDirectory(cell)} is in use by another process (PID {Environment.ProcessId})", ex.Message);
            Assert.False(ran);
            Assert.False(sweep.IsDone(cell));
        }
    }
}
