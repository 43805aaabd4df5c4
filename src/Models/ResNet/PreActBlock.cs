using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrainKit.Models.ResNet;

/// <summary>The pre-activation basic block (He et al. 2016b, "Identity Mappings in Deep Residual
/// Networks", Fig. 4e): BN → ReLU → conv3×3 → BN → ReLU → conv3×3, added to the shortcut with nothing
/// after the addition. Where the shape changes the shortcut is a strided 1×1 conv fed by the first
/// pre-activation, as in the paper's code.</summary>
public sealed class PreActBlock : Module<Tensor, Tensor>
{
    readonly BatchNorm2d bn1, bn2;
    readonly Conv2d conv1, conv2;
    readonly Conv2d? projection;

    public PreActBlock(long inChannels, long outChannels, long stride) : base(nameof(PreActBlock))
    {
        bn1 = BatchNorm2d(inChannels);
        conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, stride: 1, padding: 1, bias: false);
        if (stride != 1 || inChannels != outChannels)
            projection = Conv2d(inChannels, outChannels, 1, stride: stride, bias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor preActivated = functional.relu(bn1.forward(x));
        Tensor shortcut = projection is null ? x : projection.forward(preActivated);
        Tensor residual = conv2.forward(functional.relu(bn2.forward(conv1.forward(preActivated))));
        return (residual + shortcut).MoveToOuterDisposeScope();
    }
}
