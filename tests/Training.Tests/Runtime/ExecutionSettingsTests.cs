using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Runtime;
using TrainKit.Training.Tests.Loop;
using static TorchSharp.torch;

namespace TrainKit.Training.Tests.Runtime;

public class ExecutionSettingsTests
{
    [Fact]
    public void The_libtorch_switches_reach_libtorchs_own_kernels()
    {
        bool before = LibTorchContext.DeterministicAlgorithms;
        try
        {
            LibTorchContext.DeterministicAlgorithms = true;
            Assert.True(LibTorchContext.DeterministicAlgorithms);
            // libtorch 2.x fills uninitialized memory with NaN in deterministic mode (fill_uninitialized_memory):
            // an observable effect of the flag inside libtorch, not only a stored bool.
            using (var uninitialized = empty(64, ScalarType.Float32))
                Assert.True(uninitialized.isnan().all().item<bool>());
            LibTorchContext.DeterministicAlgorithms = false;
            Assert.False(LibTorchContext.DeterministicAlgorithms);
            bool benchmark = LibTorchContext.BenchmarkCuDnn;
            LibTorchContext.BenchmarkCuDnn = !benchmark;
            Assert.Equal(!benchmark, LibTorchContext.BenchmarkCuDnn);
            LibTorchContext.BenchmarkCuDnn = benchmark;
        }
        finally
        {
            LibTorchContext.DeterministicAlgorithms = before;
        }
    }

    [Fact]
    public void Threads_and_determinism_hold_during_the_run_and_are_restored_after_it()
    {
        int threads = get_num_threads();
        bool deterministic = LibTorchContext.DeterministicAlgorithms;
        var seen = new List<(int Threads, bool Deterministic, bool Benchmark)>();
        string run = Directory.CreateTempSubdirectory("trainkit-exec-").FullName;
        using var task = new SyntheticTask(seed: 4);
        var config = new RunConfig { Steps = 4, LogEvery = 1, EvalEvery = 0, CheckpointEvery = 0, Seed = 4, Threads = 1, Determinism = true };
        new Trainer(config, task, (o, t) => new LinearDecay(o, t), run)
        {
            OnProgress = _ => seen.Add((get_num_threads(), LibTorchContext.DeterministicAlgorithms, LibTorchContext.BenchmarkCuDnn)),
        }.Run();
        Assert.Equal(4, seen.Count);
        Assert.All(seen, s => Assert.Equal((1, true, false), s));
        Assert.Equal(threads, get_num_threads());
        Assert.Equal(deterministic, LibTorchContext.DeterministicAlgorithms);
    }

    [Fact]
    public void The_keys_are_validated_and_left_out_of_configs_that_do_not_set_them()
    {
        Assert.Contains("threads must be between 1 and 1024, got 0",
            Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(new RunConfig { Threads = 0 })).Message);
        string plain = RunConfigJson.Serialize(new RunConfig());
        Assert.DoesNotContain("threads", plain);
        Assert.DoesNotContain("determinism", plain);   // so configs and hashes without them are as they were
        var set = RunConfigJson.Parse("""{"threads": 2, "determinism": true}""");
        Assert.Equal((2, true), (set.Threads, set.Determinism));
        Assert.Contains("\"determinism\": true", RunConfigJson.Serialize(set));
    }
}
