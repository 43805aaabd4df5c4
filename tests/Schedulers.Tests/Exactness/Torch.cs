using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Tests.Exactness;

/// <summary>Real TorchSharp optimizers for the exactness tests. The expected numbers in these tests come from
/// <c>/usr/bin/python3 tools/schedulers/exactness_cases.py</c> (Debian's PyTorch 1.13; the cases behave the same
/// in current PyTorch unless a test says otherwise).</summary>
static class Torch
{
    public static optim.Optimizer Sgd(double lr = 0.1, double momentum = 0, double weightDecay = 0, int groups = 1) =>
        optim.SGD(Enumerable.Range(0, groups).Select(_ => new SGD.ParamGroup([new Parameter(zeros(1))], lr, momentum: momentum, weight_decay: weightDecay)), lr, momentum: momentum);

    public static double Lr(optim.Optimizer o, int group = 0) => o.ParamGroups.ElementAt(group).LearningRate;

    public static double Momentum(optim.Optimizer o, int group = 0) => (double)((SGD.Options)((ParamGroup)o.ParamGroups.ElementAt(group)).Options).momentum!;

    /// <summary>The numbers printed by exactness_cases.py for one case.</summary>
    public static double[] Parse(string values) =>
        values.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>PyTorch agreement: 1e-12 relative, 1e-15 absolute.</summary>
    public static void Close(double expected, double actual, string what)
    {
        double tolerance = Math.Max(1e-15, 1e-12 * Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }
}
