using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrainKit.Models.ResNet;

/// <summary>Pre-activation ResNet-18 for CIFAR (He et al. 2016b): a 3×3 stem with 64 filters (no
/// max-pool: the images are 32×32), four stages of two <see cref="PreActBlock"/>s with 64/128/256/512
/// filters (stride 2 from stage 2 on), the final BN + ReLU the pre-activation design needs after the
/// last addition, global average pooling and a linear classifier. ≈11.2M parameters; the usual
/// ~95% CIFAR-10 reference with crop+flip augmentation and a 200-epoch SGD schedule.</summary>
public sealed class PreActResNet18 : Module<Tensor, Tensor>
{
    static readonly int[] StageWidths = [64, 128, 256, 512];

    readonly Conv2d stem;
    readonly Sequential stages;
    readonly BatchNorm2d finalNorm;
    readonly Linear classifier;

    public int InChannels { get; }
    public int ImageSize { get; }
    public int NumClasses { get; }

    /// <param name="widthMultiplier">Scales 64/128/256/512 (1.0 = the paper) for quick CPU runs.</param>
    public PreActResNet18(int inChannels = 3, int imageSize = 32, int numClasses = 10, double widthMultiplier = 1.0, long seed = 0)
        : base("preact_resnet18")
    {
        if (inChannels < 1) throw new ArgumentException($"inChannels must be >= 1, got {inChannels}");
        if (imageSize < 8) throw new ArgumentException($"imageSize must be >= 8, got {imageSize}");
        if (numClasses < 2) throw new ArgumentException($"numClasses must be >= 2, got {numClasses}");
        if (!(widthMultiplier > 0) || double.IsInfinity(widthMultiplier))
            throw new ArgumentException($"widthMultiplier must be a positive number, got {widthMultiplier}");
        InChannels = inChannels;
        ImageSize = imageSize;
        NumClasses = numClasses;
        int[] widths = StageWidths.Select(w => Math.Max(1, (int)Math.Round(w * widthMultiplier))).ToArray();

        stem = Conv2d(inChannels, widths[0], 3, stride: 1, padding: 1, bias: false);
        var blocks = new List<(string, Module<Tensor, Tensor>)>();
        long channels = widths[0];
        for (int stage = 0; stage < 4; stage++)
            for (int block = 0; block < 2; block++)
            {
                long stride = stage > 0 && block == 0 ? 2 : 1;
                blocks.Add(($"stage{stage + 1}_block{block + 1}", new PreActBlock(channels, widths[stage], stride)));
                channels = widths[stage];
            }
        stages = Sequential(blocks);
        finalNorm = BatchNorm2d(channels);
        classifier = Linear(channels, numClasses);
        RegisterComponents();
        ResetParameters(seed);
    }

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
        InputChecks.RequireImageBatch(x, InChannels, ImageSize, "PreAct ResNet-18");
        using var scope = NewDisposeScope();
        Tensor features = functional.relu(finalNorm.forward(stages.forward(stem.forward(x))));
        Tensor pooled = functional.adaptive_avg_pool2d(features, 1).flatten(1);
        return classifier.forward(pooled).MoveToOuterDisposeScope();
    }
}
