using System.Diagnostics;
using TrainKit.Schedulers.Config;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Tasks;

namespace TrainKit.Training.Bench;

/// <summary>Resident memory of a real training run (trainer, scheduler, augmentation, evaluation, checkpoints)
/// sampled during the run: a flat curve means every step's native tensors are disposed.</summary>
public static class MemoryBenchmark
{
    public sealed record Sample(long Step, double ResidentMegabytes);

    public static IReadOnlyList<Sample> Run(long steps, string folder, long sampleEvery = 100)
    {
        var config = new RunConfig
        {
            Model = new CifarResNetModelConfig { Name = "resnet20", Width = 0.25 },
            // Evaluate and checkpoint every 100 steps, so every code path (and the allocator growth it brings)
            // has run before the step-200 reference; growth after that would be a leak.
            BatchSize = 32,
            Steps = steps,
            LogEvery = 50,
            EvalEvery = 100,
            CheckpointEvery = 100,
            Data = new DataConfig { EvalExamples = 500 },
            Schedule = ScheduleSpec.Of("WarmupCosine", ("warmup_steps", 100)),
        };
        var samples = new List<Sample>();
        using var task = TrainingTasks.Create(config);
        var trainer = Trainer.ForRun(config, task, folder);
        trainer.OnProgress = p =>
        {
            if (p.Step % sampleEvery != 0) return;
            GC.Collect();
            using var self = Process.GetCurrentProcess();
            samples.Add(new Sample(p.Step, self.WorkingSet64 / 1048576.0));
        };
        trainer.Run();
        return samples;
    }
}
