using System.Text.Json;
using TorchSharp;
using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>The PyTorch exact-Hessian fixture (tests/fixtures/sharpness/mlp.json, written by
/// tools/sharpness/reference.py with Debian's PyTorch 1.13) and the same float64 MLP rebuilt in TorchSharp with the
/// fixture's weights and batch. The batch is cut into unequal pieces (10 + 6) so the batch-size weighting is exercised:
/// the reference loss is the mean over all 16 examples.</summary>
public sealed class MlpReference
{
    public static readonly string FixturePath = Path.Combine(AppContext.BaseDirectory, "fixtures", "sharpness", "mlp.json");

    public JsonElement Json { get; }
    public nn.Module<Tensor, Tensor> Model { get; }
    public IReadOnlyList<AnalysisBatch> Batches { get; }
    public int Dimension { get; }
    public double[,] Hessian { get; }

    public MlpReference()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FixturePath));
        Json = document.RootElement.Clone();
        var layers = Ints("model", "layers");
        Model = nn.Sequential(("0", nn.Linear(layers[0], layers[1])), ("1", nn.Tanh()), ("2", nn.Linear(layers[1], layers[2])));
        Model.to(ScalarType.Float64);
        var names = Model.named_parameters().Select(p => p.name).ToArray();
        var expected = Json.GetProperty("model").GetProperty("parameters").EnumerateArray().Select(e => e.GetString()).ToArray();
        if (!names.SequenceEqual(expected))
            throw new InvalidOperationException($"parameter order {string.Join(",", names)} differs from the fixture's {string.Join(",", expected)}");
        var layout = new ParameterLayout(Model.parameters());
        layout.Write(tensor(Doubles("weights"), ScalarType.Float64));

        var rows = Json.GetProperty("inputs").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
        var flatInputs = rows.SelectMany(r => r).ToArray();
        var inputs = tensor(flatInputs, new long[] { rows.Length, rows[0].Length }, ScalarType.Float64);
        var targets = tensor(Json.GetProperty("targets").EnumerateArray().Select(t => t.GetInt64()).ToArray(), ScalarType.Int64);
        Batches =
        [
            new AnalysisBatch(inputs[TensorIndex.Slice(0, 10)], targets[TensorIndex.Slice(0, 10)]),
            new AnalysisBatch(inputs[TensorIndex.Slice(10, null)], targets[TensorIndex.Slice(10, null)]),
        ];
        Dimension = Json.GetProperty("dimension").GetInt32();
        var h = Json.GetProperty("hessian").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
        Hessian = new double[Dimension, Dimension];
        for (int i = 0; i < Dimension; i++) for (int j = 0; j < Dimension; j++) Hessian[i, j] = h[i][j];
    }

    public ModelHessian NewHessian() => new(Model, (o, t) => nn.functional.cross_entropy(o, t), Batches);

    public double Number(params string[] path)
    {
        var e = Json;
        foreach (var p in path) e = e.GetProperty(p);
        return e.GetDouble();
    }

    public double[] Doubles(params string[] path)
    {
        var e = Json;
        foreach (var p in path) e = e.GetProperty(p);
        return e.EnumerateArray().Select(x => x.GetDouble()).ToArray();
    }

    int[] Ints(params string[] path)
    {
        var e = Json;
        foreach (var p in path) e = e.GetProperty(p);
        return e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
    }
}
