using System.Text.Json;
using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>tests/fixtures/sharpness/cnn.json (tools/sharpness/reference_cnn.py): a float64
/// Conv2d(1→3, 3×3, pad 1) → BatchNorm2d(3) → tanh → Conv2d(3→4, 3×3, stride 2) → tanh → global average pool →
/// Linear(4→3), 163 weights, 16 images of 1×6×6 fed as 10 + 6. BatchNorm's running statistics are the fixture's
/// (mean ≠ 0, var ≠ 1), so eval mode is a different function from train mode and from no normalization at all;
/// the fixture has the exact Hessian of both (top level: eval; "train": batch statistics per piece of the split).</summary>
public sealed class CnnReference : ExactHessianReference
{
    public CnnReference() : base("cnn.json", Build, (o, t) => nn.functional.cross_entropy(o, t), ScalarType.Float64)
    {
        var norm = Json.GetProperty("model").GetProperty("batchnorm");
        using var noGrad = no_grad();
        RunningMean.copy_(tensor(norm.GetProperty("running_mean").EnumerateArray().Select(x => x.GetDouble()).ToArray(), ScalarType.Float64));
        RunningVar.copy_(tensor(norm.GetProperty("running_var").EnumerateArray().Select(x => x.GetDouble()).ToArray(), ScalarType.Float64));
    }

    public TorchSharp.Modules.BatchNorm2d Norm => (TorchSharp.Modules.BatchNorm2d)Model.named_children().Single(c => c.name == "1").module;
    public Tensor RunningMean => Norm.running_mean ?? throw new InvalidOperationException("BatchNorm2d without running mean");
    public Tensor RunningVar => Norm.running_var ?? throw new InvalidOperationException("BatchNorm2d without running var");

    static nn.Module<Tensor, Tensor> Build(JsonElement json)
    {
        double eps = json.GetProperty("model").GetProperty("batchnorm").GetProperty("eps").GetDouble();
        // Child names as in the PyTorch nn.Sequential, so named_parameters() can be checked against the fixture.
        return nn.Sequential(
            ("0", nn.Conv2d(1, 3, 3, padding: 1)), ("1", nn.BatchNorm2d(3, eps: eps)), ("2", nn.Tanh()),
            ("3", nn.Conv2d(3, 4, 3, stride: 2)), ("4", nn.Tanh()), ("5", nn.AdaptiveAvgPool2d(1)), ("6", nn.Flatten()),
            ("7", nn.Linear(4, 3)));
    }
}
