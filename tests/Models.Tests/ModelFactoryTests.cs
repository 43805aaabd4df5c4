using TrainKit.Models.ResNet;
using TrainKit.Models.Transformer;

namespace TrainKit.Models.Tests;

public class ModelFactoryTests
{
    [Theory]
    [InlineData("resnet20", 20)]
    [InlineData("ResNet110", 110)]
    [InlineData("resnet44", 44)]
    public void Builds_cifar_resnets_by_name(string name, int depth)
    {
        using var model = ModelFactory.Create(new ModelSpec(name, InChannels: 1, ImageSize: 28, Width: 0.25, Seed: 5));
        var resnet = Assert.IsType<CifarResNet>(model);
        Assert.Equal(new CifarResNetConfig(depth, 1, 28, 10, 0.25, ShortcutKind.ZeroPadIdentity, 5), resnet.Config);
    }

    [Fact]
    public void Builds_preact_resnet18_and_gpt()
    {
        using var preact = ModelFactory.Create(new ModelSpec("preact-resnet18", Width: 0.125));
        Assert.IsType<PreActResNet18>(preact);
        using var gpt = ModelFactory.Create(new TransformerConfig(VocabSize: 50, ContextLength: 8, Layers: 1, Heads: 2, EmbeddingDim: 8));
        Assert.Equal(8, gpt.Config.ContextLength);
    }

    [Theory]
    [InlineData("vgg16")]
    [InlineData("resnet")]
    [InlineData("resnet19")]
    public void Unknown_names_are_rejected(string name) =>
        Assert.Throws<ArgumentException>(() => ModelFactory.Create(new ModelSpec(name)));
}
