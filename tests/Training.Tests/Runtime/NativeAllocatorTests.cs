using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Runtime;
using TrainKit.Training.Tests.Loop;

namespace TrainKit.Training.Tests.Runtime;

public class NativeAllocatorTests
{
    [Fact]
    public void A_trainer_run_does_not_tune_the_process_heap_behind_its_users_back()
    {
        // The heap tuning is process-wide (mallopt): the CLI opts in at start-up, a library user calls Tune() itself.
        int before = NativeAllocator.Calls;
        string run = Directory.CreateTempSubdirectory("trainkit-heap-").FullName;
        using var task = new SyntheticTask(seed: 2);
        var config = new RunConfig { Steps = 3, LogEvery = 1, EvalEvery = 0, CheckpointEvery = 0, Seed = 2 };
        new Trainer(config, task, (o, t) => new LinearDecay(o, t), run).Run();
        Assert.Equal(before, NativeAllocator.Calls);
        Assert.True(File.Exists(Path.Combine(run, "summary.json")), "the run itself must have completed");
    }
}
