using TrainKit.Models.ResNet;
using static TorchSharp.torch;

namespace TrainKit.Models.Tests.ResNet;

public class PreActResNet18Tests
{
    [Fact]
    public void Parameter_count_is_the_standard_preact_resnet18_plus_the_final_batchnorm()
    {
        using var model = new PreActResNet18();
        // 11,171,146 is the widely used CIFAR PreActResNet18 without the paper's final BN-ReLU;
        // the final BatchNorm(512) adds 1,024.
        Assert.Equal(11_171_146 + 1_024, ModelAssert.ParameterCount(model));
    }

    [Fact]
    public void Narrow_model_runs_on_cifar_and_mnist_shapes()
    {
        using var scope = NewDisposeScope();
        using var cifar = new PreActResNet18(widthMultiplier: 0.125, numClasses: 100);
        Assert.Equal(new long[] { 2, 100 }, cifar.forward(randn(2, 3, 32, 32)).shape);
        using var mnist = new PreActResNet18(inChannels: 1, imageSize: 28, widthMultiplier: 0.125);
        Assert.Equal(new long[] { 2, 10 }, mnist.forward(randn(2, 1, 28, 28)).shape);
        Assert.Throws<ArgumentException>(() => mnist.forward(randn(2, 3, 28, 28)));
    }

    [Fact]
    public void Same_seed_gives_identical_weights()
    {
        using var a = new PreActResNet18(widthMultiplier: 0.125, seed: 3);
        using var b = new PreActResNet18(widthMultiplier: 0.125, seed: 3);
        using var c = new PreActResNet18(widthMultiplier: 0.125, seed: 4);
        Assert.True(ModelAssert.SameWeights(a, b));
        Assert.False(ModelAssert.SameWeights(a, c));
    }
}
