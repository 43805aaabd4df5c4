using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrainKit.Models.ResNet;

/// <summary>The two-layer residual block of the CIFAR ResNets: conv3×3 → BN → ReLU → conv3×3 → BN,
/// plus the shortcut, then ReLU (post-activation, He et al. 2016a, Fig. 2 left).</summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    readonly Conv2d conv1, conv2;
    readonly BatchNorm2d bn1, bn2;
    // Only for option B where the shape changes; option A needs no module.
    readonly Sequential? projection;
    readonly long stride, inChannels, outChannels;
    readonly ShortcutKind shortcut;

    public BasicBlock(long inChannels, long outChannels, long stride, ShortcutKind shortcut) : base(nameof(BasicBlock))
    {
        this.stride = stride;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.shortcut = shortcut;
        conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        if (shortcut == ShortcutKind.Projection && ChangesShape)
            projection = Sequential(
                ("conv", Conv2d(inChannels, outChannels, 1, stride: stride, bias: false)),
                ("bn", BatchNorm2d(outChannels)));
        RegisterComponents();
    }

    bool ChangesShape => stride != 1 || inChannels != outChannels;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor residual = bn2.forward(conv2.forward(functional.relu(bn1.forward(conv1.forward(x)))));
        Tensor output = functional.relu(residual + Shortcut(x));
        return output.MoveToOuterDisposeScope();
    }

    Tensor Shortcut(Tensor x)
    {
        if (!ChangesShape) return x;
        if (projection is not null) return projection.forward(x);
        // Option A: subsample spatially by the stride (ceil(n/2) like the 3×3 conv with padding 1),
        // then zero-pad the new channels, split evenly before and after the old ones.
        Tensor sub = stride == 1 ? x : x[.., .., TensorIndex.Slice(null, null, stride), TensorIndex.Slice(null, null, stride)];
        long extra = outChannels - inChannels;
        long before = extra / 2, after = extra - before;
        return functional.pad(sub, new long[] { 0, 0, 0, 0, before, after });
    }
}
