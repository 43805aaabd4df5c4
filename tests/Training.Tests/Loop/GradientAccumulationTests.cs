using TorchSharp;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Metrics;
using static TorchSharp.torch;

namespace TrainKit.Training.Tests.Loop;

public class GradientAccumulationTests
{
    static RunConfig Config(int accumulate) => new()
    {
        Steps = 6,
        LogEvery = 1,
        EvalEvery = 0,
        CheckpointEvery = 0,
        Seed = 5,
        Accumulate = accumulate,
        Optimizer = new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = 0.05, Momentum = 0.9, Nesterov = true, WeightDecay = 1e-4 },
    };

    static string RunDir() => Directory.CreateTempSubdirectory("trainkit-accumulate-").FullName;

    /// <summary>One batch of K·B examples: the task's batches sK … sK+K−1 concatenated, i.e. exactly the examples
    /// that K micro-batches of step s see.</summary>
    sealed class ConcatenatedBatches(SyntheticTask inner, int k) : ITrainingTask
    {
        public nn.Module<Tensor, Tensor> Model => inner.Model;
        public long StepsPerEpoch => inner.StepsPerEpoch / k;
        public (Tensor Input, Tensor Target) TrainBatch(long step)
        {
            var parts = Enumerable.Range(0, k).Select(i => inner.TrainBatch(step * k + i)).ToList();
            return (cat(parts.Select(p => p.Input).ToList(), 0), cat(parts.Select(p => p.Target).ToList(), 0));
        }
        public Tensor Loss(Tensor output, Tensor target) => inner.Loss(output, target);
        public EvalResult Evaluate(string split) => inner.Evaluate(split);
        public (Tensor Input, Tensor Target) AnalysisSubset(int examples) => inner.AnalysisSubset(examples);
        public void Dispose() => inner.Dispose();
    }

    static float[] Weights(nn.Module model) =>
        model.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

    [Fact]
    public void Four_micro_batches_of_B_make_the_same_updates_as_one_batch_of_4B()
    {
        // No dropout, no BatchNorm: the mean of the four micro-batch gradients is the gradient of the big batch.
        using var accumulating = new SyntheticTask(seed: 5, dropout: 0);
        using var big = new ConcatenatedBatches(new SyntheticTask(seed: 5, dropout: 0), 4);
        Assert.Equal(Weights(accumulating.Model), Weights(big.Model)); // same start

        string accumulated = RunDir(), single = RunDir();
        new Trainer(Config(4), accumulating, (o, t) => new LinearDecay(o, t), accumulated).Run();
        new Trainer(Config(1), big, (o, t) => new LinearDecay(o, t), single).Run();

        float[] a = Weights(accumulating.Model), b = Weights(big.Model), start = Weights(new SyntheticTask(seed: 5, dropout: 0).Model);
        double moved = a.Zip(start, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(moved > 1e-2, $"training moved the weights by only {moved}");
        Assert.All(a.Zip(b), pair => Assert.Equal(pair.First, pair.Second, 1e-5f));

        double[] lossA = MetricsLog.Read(accumulated).Select(r => r["train_loss"]!.GetValue<double>()).ToArray();
        double[] lossB = MetricsLog.Read(single).Select(r => r["train_loss"]!.GetValue<double>()).ToArray();
        Assert.Equal(6, lossA.Length);
        Assert.All(lossA.Zip(lossB), pair => Assert.Equal(pair.Second, pair.First, 1e-5));
    }

    [Fact]
    public void Steps_count_optimizer_steps_and_the_scheduler_steps_once_per_optimizer_step()
    {
        string run = RunDir();
        using var task = new SyntheticTask(seed: 2, dropout: 0); // 16 batches per epoch
        new Trainer(Config(4), task, (o, t) => new LinearDecay(o, t), run).Run();
        var rows = MetricsLog.Read(run);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), rows.Select(r => r["step"]!.GetValue<long>()));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (long)i), task.BatchesServed);
        // Linear decay over 6 steps: row i shows the lr of step i, after i−1 scheduler steps.
        for (int i = 0; i < 6; i++) Assert.Equal(0.05 * (1 - i / 6.0), rows[i]["lr"]!.GetValue<double>(), 12);
        // 4 micro-batches of 16 batches per epoch: an epoch is 4 optimizer steps.
        Assert.Equal(1.5, rows[5]["epoch"]!.GetValue<double>(), 12);
    }

    [Fact]
    public void Epochs_are_passes_over_the_data_not_optimizer_steps()
    {
        using var task = new SyntheticTask(seed: 2, dropout: 0);
        Assert.Equal(8, new Trainer(new RunConfig { Epochs = 2, Accumulate = 4 }, task, (o, t) => new LinearDecay(o, t), RunDir()).TotalSteps);
    }

    [Fact]
    public void Accumulate_below_one_is_rejected_naming_the_key()
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(new RunConfig { Accumulate = 0 }));
        Assert.Contains("accumulate must be at least 1", ex.Message);
        Assert.Equal(3, RunConfigJson.Parse("""{"accumulate": 3}""").Accumulate);
    }
}
