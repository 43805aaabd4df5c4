using TorchSharp;
using static TorchSharp.torch;

namespace TrainKit.Models.Tests;

static class ModelAssert
{
    public static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());

    /// <summary>True when both modules hold bit-identical parameters, name by name.</summary>
    public static bool SameWeights(nn.Module a, nn.Module b)
    {
        var left = a.named_parameters().ToList();
        var right = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(left.Count, right.Count);
        return left.All(p => p.parameter.shape.SequenceEqual(right[p.name].shape) && p.parameter.eq(right[p.name]).all().item<bool>());
    }
}
