using TrainKit.Analysis;

namespace TrainKit.Analysis.Tests;

/// <summary>Per-layer λ_max and trace against the exact diagonal blocks of PyTorch's dense Hessian of the fixture MLP
/// (tools/sharpness/reference.py: blocks.layers, layer "0" = 0.weight + 0.bias, 30 weights; layer "2", 21 weights).</summary>
public class PerLayerSharpnessTests
{
    static readonly MlpReference Reference = new();

    [Fact]
    public void Per_layer_lambda_max_and_trace_match_the_exact_diagonal_blocks()
    {
        var layers = PerLayerSharpness.Measure(Reference.NewHessian(), lanczosSteps: 30, tolerance: 1e-8, traceProbes: 300, seed: 4);
        Assert.Equal(new[] { "0", "2" }, layers.Select(l => l.Module));
        Assert.Equal(new[] { "0.weight", "0.bias" }, layers[0].Parameters);
        foreach (var layer in layers)
        {
            double lambdaMax = Reference.Number("blocks", "layers", layer.Module, "lambda_max");
            double trace = Reference.Number("blocks", "layers", layer.Module, "trace");
            Assert.Equal((long)Reference.Number("blocks", "layers", layer.Module, "dimension"), layer.Dimension);
            Assert.Equal(lambdaMax, layer.LambdaMax, 1e-7 * Math.Abs(lambdaMax));
            Assert.True(Math.Abs(layer.Trace - trace) <= 4 * layer.TraceStderr, $"layer {layer.Module}: {layer.Trace:G6} ± {layer.TraceStderr:G3} vs {trace:G6}");
            // The block's λ_max is not the full one: here both are below λ_max(H) = 1.2048 (Cauchy interlacing).
            Assert.True(layer.LambdaMax < Reference.Number("lambda_max"));
        }
    }

    [Fact]
    public void Block_operator_is_the_exact_submatrix_of_the_PyTorch_Hessian()
    {
        var hessian = Reference.NewHessian();
        var block = new ParameterBlockOperator(hessian, hessian.Layout, [3, 0]);   // 2.bias (offsets 48..50) then 0.weight (0..23)
        Assert.Equal(27, block.Dimension);
        int[] rows = [.. Enumerable.Range(48, 3), .. Enumerable.Range(0, 24)];
        double worst = 0;
        for (int j = 0; j < rows.Length; j += 5)
        {
            var e = TorchSharp.torch.zeros(27, TorchSharp.torch.ScalarType.Float64);
            e[j] = 1.0;
            var column = block.Multiply(e).data<double>().ToArray();
            for (int i = 0; i < rows.Length; i++) worst = Math.Max(worst, Math.Abs(column[i] - Reference.Hessian[rows[i], rows[j]]));
        }
        Assert.True(worst < 1e-12, $"max error {worst:G3}");
        Assert.Throws<ArgumentException>(() => new ParameterBlockOperator(hessian, hessian.Layout, [1, 1]));
    }

    [Fact]
    public void Analyzer_writes_per_layer_figures_when_asked()
    {
        var options = new SharpnessAnalysisOptions
        {
            RunPerLayer = true,
            PerLayerLanczosSteps = 25,
            PerLayerTraceProbes = 3,
            LanczosTolerance = 1e-6,
            RunLanczos = false,
            RunLambdaMin = false,
            RunPowerIteration = false,
            RunTrace = false,
            RunDensity = false,
            RunScaleAware = false,
            RunEpsilonSharpness = false,
            RunRhoSharpness = false,
            RunPacBayes = false,
            RunJiangPacBayes = false,
            RunAdaptiveSharpness = false,
        };
        var report = new SharpnessAnalyzer(options).Analyze(Reference.Model, (o, t) => TorchSharp.torch.nn.functional.cross_entropy(o, t), Reference.Batches);
        var section = Assert.IsType<PerLayerSection>(report.PerLayer);
        Assert.Equal(2, section.Modules.Length);
        Assert.Equal(section.Modules.Sum(m => m.Hvps), section.Hvps);
        Assert.Equal(Reference.Number("blocks", "layers", "2", "lambda_max"), section.Modules[1].LambdaMax, 1e-5);
        Assert.Contains("\"per_layer\"", AnalysisJson.Serialize(report));
    }
}
