using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrainKit.Models;

/// <summary>Seeded weight initialisation. TorchSharp 0.107's <c>nn.init.normal_/uniform_</c> accept a
/// generator but ignore it, <c>kaiming_*</c> take none, and the layer constructors draw from the global
/// RNG; so everything here goes through <c>Tensor.normal_/uniform_</c>, which do honour it, and every
/// model overwrites all of its parameters from one <see cref="Generator"/> seeded by its config: same seed, identical weights, whatever ran before.</summary>
public static class WeightInit
{
    /// <summary>He et al. (2015) normal init, std = sqrt(2 / fan_out) with fan_out = out_channels·kh·kw
    /// (the ReLU gain; the choice of fb.resnet.torch and torchvision for ResNets).</summary>
    public static void KaimingNormalFanOut(Tensor weight, Generator generator)
    {
        long fanOut = weight.shape[0] * weight.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        using var _ = no_grad();
        weight.normal_(0, Math.Sqrt(2.0 / fanOut), generator);
    }

    /// <summary>PyTorch's default for Linear (kaiming_uniform with a = √5): U(−1/√fan_in, 1/√fan_in) for
    /// the weight and the bias.</summary>
    public static void LinearDefault(Linear linear, Generator generator)
    {
        double bound = 1.0 / Math.Sqrt(linear.weight.shape[1]);
        using var _ = no_grad();
        linear.weight.uniform_(-bound, bound, generator);
        if (linear.bias is not null)
            linear.bias.uniform_(-bound, bound, generator);
    }

    public static void Normal(Tensor tensor, double std, Generator generator)
    {
        using var _ = no_grad();
        tensor.normal_(0, std, generator);
    }

    public static void Constant(Tensor? tensor, double value)
    {
        if (tensor is null) return;
        using var _ = no_grad();
        nn.init.constant_(tensor, value);
    }

    /// <summary>Scale 1, shift 0: every normalisation layer starts as the identity.</summary>
    public static void NormIdentity(nn.Module module)
    {
        switch (module)
        {
            case BatchNorm2d bn: Constant(bn.weight, 1); Constant(bn.bias, 0); break;
            case LayerNorm ln: Constant(ln.weight, 1); Constant(ln.bias, 0); break;
        }
    }
}
