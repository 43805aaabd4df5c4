using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>The estimators on softmax attention, LayerNorm, GELU and a tied head: TrainKit's own Gpt, one Pre-LN
/// block, 976 weights (fixture: tools/sharpness/reference_gpt.py; λ_max 6.1091, λ_min −2.3261, trace 9.7456, and 155
/// eigenvalues within 1e-10 of zero). The estimator checks cost hundreds of Hessian-vector products through attention
/// (marked Slow in the suite); fewer random probes than on the CNN, the checks are against the estimators' own standard
/// errors all the same.</summary>
public class GptPyTorchReferenceTests : PyTorchReferenceSuite<GptReference>
{
    protected override int TraceProbes => 200;
    protected override int SlqRuns => 60;
    protected override int PerLayerTraceProbes => 40;

    [Fact]
    public void Gradient_and_Hessian_vanish_on_directions_LayerNorm_and_softmax_ignore()
    {
        // Part of PyTorch's null space, known in closed form: a constant added to one row of the position table is
        // removed by every LayerNorm downstream, and a shift of the key bias adds q·c to all of a query's scores,
        // which softmax ignores. Twelve such directions, so at least twelve exact zeros in the spectrum.
        Assert.True(Reference.Doubles("eigenvalues_ascending").Count(l => Math.Abs(l) < 1e-10) >= 12);
        var hessian = Reference.NewHessian();
        var names = Reference.Model.named_parameters().Select(p => p.name).ToList();
        int dim = Reference.Json.GetProperty("model").GetProperty("config").GetProperty("dim").GetInt32();
        int context = Reference.Json.GetProperty("model").GetProperty("config").GetProperty("context").GetInt32();
        long positions = hessian.Layout.Offset(names.IndexOf("positionEmbedding.weight"));
        long keyBias = hessian.Layout.Offset(names.IndexOf("blocks.0.attention.qkv.bias")) + dim;   // q | k | v
        var (_, gradient) = hessian.LossAndGradient();
        var directions = new List<(string Name, long Start, long Length)>();
        for (int t = 0; t < context; t++) directions.Add(($"position row {t}", positions + t * dim, dim));
        for (int c = 0; c < dim; c++) directions.Add(($"key bias {c}", keyBias + c, 1));
        foreach (var (name, start, length) in directions)
        {
            using var scope = NewDisposeScope();
            var v = zeros(Reference.Dimension, ScalarType.Float64);
            v[TensorIndex.Slice(start, start + length)].fill_(1.0 / Math.Sqrt(length));
            Assert.True(Math.Abs(FlatVectors.Dot(gradient, v)) < 1e-12, $"{name}: gᵀv = {FlatVectors.Dot(gradient, v):G3}");
            double worst = hessian.Multiply(v).abs().max().item<double>();
            Assert.True(worst < 1e-12, $"{name}: max |Hv| = {worst:G3}");
        }
    }
}
