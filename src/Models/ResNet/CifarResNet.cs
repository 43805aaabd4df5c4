using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrainKit.Models.ResNet;

/// <summary>The CIFAR-10 ResNet of He et al. 2016a ("Deep Residual Learning for Image Recognition",
/// §4.2): a 3×3 conv with 16 filters, then three stages of n <see cref="BasicBlock"/>s with 16, 32 and 64
/// filters on maps of 32, 16 and 8 pixels (the first block of stages 2 and 3 has stride 2), global
/// average pooling and a fully connected layer: 6n+2 weighted layers.
/// Shortcuts are <b>option A</b> by default: identity, with zero-padding for the extra channels when the
/// width doubles — parameter-free, as in the paper (ResNet-20 has 0.27M parameters, ResNet-110 1.7M).
/// Option B (1×1 projections) is <see cref="ShortcutKind.Projection"/>.
/// Convolutions get He (Kaiming) normal init, BatchNorm starts at identity, the classifier PyTorch's default.</summary>
public sealed class CifarResNet : Module<Tensor, Tensor>
{
    readonly Conv2d stem;
    readonly BatchNorm2d stemNorm;
    readonly Sequential stages;
    readonly Linear classifier;

    public CifarResNetConfig Config { get; }

    public CifarResNet(CifarResNetConfig config) : base($"resnet{config.Depth}")
    {
        config.Validate();
        Config = config;
        int[] widths = config.StageWidths;

        stem = Conv2d(config.InChannels, widths[0], 3, stride: 1, padding: 1, bias: false);
        stemNorm = BatchNorm2d(widths[0]);

        var blocks = new List<(string, Module<Tensor, Tensor>)>();
        long inChannels = widths[0];
        for (int stage = 0; stage < 3; stage++)
            for (int block = 0; block < config.BlocksPerStage; block++)
            {
                long stride = stage > 0 && block == 0 ? 2 : 1;
                blocks.Add(($"stage{stage + 1}_block{block + 1}", new BasicBlock(inChannels, widths[stage], stride, config.Shortcut)));
                inChannels = widths[stage];
            }
        stages = Sequential(blocks);
        classifier = Linear(widths[2], config.NumClasses);
        RegisterComponents();
        ResetParameters(config.Seed);
    }

    /// <summary>Re-initialises every parameter from <paramref name="seed"/> (see <see cref="WeightInit"/>).</summary>
    public void ResetParameters(long seed)
    {
        using var generator = new Generator((ulong)seed);
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv: WeightInit.KaimingNormalFanOut(conv.weight, generator); break;
                case Linear linear: WeightInit.LinearDefault(linear, generator); break;
                default: WeightInit.NormIdentity(module); break;
            }
        }
    }

    public override Tensor forward(Tensor x)
    {
        InputChecks.RequireImageBatch(x, Config.InChannels, Config.ImageSize, $"ResNet-{Config.Depth}");
        using var scope = NewDisposeScope();
        Tensor features = stages.forward(functional.relu(stemNorm.forward(stem.forward(x))));
        Tensor pooled = functional.adaptive_avg_pool2d(features, 1).flatten(1);
        return classifier.forward(pooled).MoveToOuterDisposeScope();
    }
}
