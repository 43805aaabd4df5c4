using TrainKit.Training.Config;
using TrainKit.Training.Tasks;
using static TorchSharp.torch;

namespace TrainKit.Training.Tests.Tasks;

public class LabelSmoothingTests
{
    /// <summary>The smoothed cross entropy by hand, in double: (1−ε)·(−log p_y) + ε·mean_k(−log p_k), averaged over rows.</summary>
    static double ByHand(double[][] logits, long[] labels, double epsilon)
    {
        double total = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double max = logits[i].Max(), logSumExp = max + Math.Log(logits[i].Sum(z => Math.Exp(z - max)));
            double[] nll = logits[i].Select(z => logSumExp - z).ToArray();
            total += (1 - epsilon) * nll[labels[i]] + epsilon * nll.Average();
        }
        return total / logits.Length;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public void The_training_loss_is_the_smoothed_cross_entropy(double epsilon)
    {
        var config = new RunConfig { LabelSmoothing = epsilon, BatchSize = 32, Model = new CifarResNetModelConfig { Width = 0.25 } };
        RunConfigValidator.Validate(config);
        using var task = TrainingTasks.Create(config);
        var rng = new Random(7);
        double[][] logits = Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, 10).Select(_ => rng.NextDouble() * 6 - 3).ToArray()).ToArray();
        long[] labels = [0, 3, 9, 3, 5];
        using var output = tensor(logits.SelectMany(r => r.Select(z => (float)z)).ToArray(), [5, 10]);
        using var target = tensor(labels);
        using var loss = task.Loss(output, target);
        Assert.Equal(ByHand(logits, labels, epsilon), loss.item<float>(), 5);
        if (epsilon > 0) Assert.NotEqual(ByHand(logits, labels, 0), loss.item<float>(), 3);
    }

    [Fact]
    public void Label_smoothing_outside_0_to_1_or_on_a_regression_task_is_rejected()
    {
        Assert.Contains("label_smoothing must be in [0, 1)", Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(new RunConfig { LabelSmoothing = 1 })).Message);
        Assert.Contains("label_smoothing applies to the image classification tasks",
            Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(new RunConfig { LabelSmoothing = 0.1, Task = TrainingTaskKind.FullBatchMse })).Message);
    }
}
