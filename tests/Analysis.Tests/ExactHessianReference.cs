using System.Text.Json;
using TorchSharp;
using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>A PyTorch exact-Hessian fixture (tests/fixtures/sharpness/*.json, written by tools/sharpness/reference_*.py
/// with Debian's PyTorch 1.13) and the same float64 model rebuilt in TorchSharp with the fixture's weights and batch.
/// The batch is cut into unequal pieces (first <c>split</c> examples, then the rest) so the batch-size weighting is
/// exercised: the reference loss is the mean over all examples. What the tests need of H is in every fixture as
/// columns, the diagonal, ‖H‖_F² and Σ_{i≠j}|H_ij|, so a model too large to store H densely is checked the same way.</summary>
public abstract class ExactHessianReference
{
    readonly AnalysisLoss _loss;

    /// <param name="inputType">Float64 for images, Int64 for token ids.</param>
    protected ExactHessianReference(string fixture, Func<JsonElement, nn.Module<Tensor, Tensor>> build, AnalysisLoss loss, ScalarType inputType)
    {
        FixturePath = Path.Combine(AppContext.BaseDirectory, "fixtures", "sharpness", fixture);
        using var document = JsonDocument.Parse(File.ReadAllText(FixturePath));
        Json = document.RootElement.Clone();
        _loss = loss;
        Model = build(Json);
        Model.to(ScalarType.Float64);
        // The fixture's weights are a flat vector in TorchSharp's parameters() order as the Python script assumed it;
        // a different order would load every number into the wrong place and fail far less legibly.
        var names = Model.named_parameters().Select(p => p.name).ToArray();
        var expected = Json.GetProperty("model").GetProperty("parameters").EnumerateArray().Select(e => e.GetString()).ToArray();
        if (!names.SequenceEqual(expected))
            throw new InvalidOperationException($"parameter order {string.Join(",", names)} differs from the fixture's {string.Join(",", expected)}");
        new ParameterLayout(Model.parameters()).Write(tensor(Doubles("weights"), ScalarType.Float64));

        var inputs = Nested(Json.GetProperty("inputs"), inputType);
        var targets = Nested(Json.GetProperty("targets"), ScalarType.Int64);
        long split = Json.TryGetProperty("split", out var s) ? s.GetInt64() : 10;
        Batches =
        [
            new AnalysisBatch(inputs[TensorIndex.Slice(0, split)], targets[TensorIndex.Slice(0, split)]),
            new AnalysisBatch(inputs[TensorIndex.Slice(split, null)], targets[TensorIndex.Slice(split, null)]),
        ];
        Dimension = Json.GetProperty("dimension").GetInt32();
    }

    public string FixturePath { get; }
    public JsonElement Json { get; }
    public nn.Module<Tensor, Tensor> Model { get; }
    public IReadOnlyList<AnalysisBatch> Batches { get; }
    public int Dimension { get; }

    public ModelHessian NewHessian(HessianMode mode = HessianMode.Eval) => new(Model, _loss, Batches, mode);

    /// <summary>The stored columns of H (of the train-mode Hessian under <paramref name="section"/> "train").</summary>
    public IReadOnlyDictionary<int, double[]> Columns(string? section = null) =>
        Section(section).GetProperty("hessian_columns").EnumerateObject()
            .ToDictionary(c => int.Parse(c.Name, System.Globalization.CultureInfo.InvariantCulture),
                c => c.Value.EnumerateArray().Select(x => x.GetDouble()).ToArray());

    public JsonElement Section(string? section) => section is null ? Json : Json.GetProperty(section);

    public double Number(params string[] path) => At(path).GetDouble();

    public double[] Doubles(params string[] path) => At(path).EnumerateArray().Select(x => x.GetDouble()).ToArray();

    JsonElement At(string[] path)
    {
        var e = Json;
        foreach (var p in path) e = e.GetProperty(p);
        return e;
    }

    /// <summary>A nested JSON array as a tensor of its shape (rows of equal length, as the Python script writes them).</summary>
    static Tensor Nested(JsonElement array, ScalarType type)
    {
        var shape = new List<long>();
        for (var e = array; e.ValueKind == JsonValueKind.Array; e = e[0]) shape.Add(e.GetArrayLength());
        var values = new List<double>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array) foreach (var child in e.EnumerateArray()) Walk(child);
            else values.Add(e.GetDouble());
        }
        Walk(array);
        return tensor(values.ToArray(), shape.ToArray(), ScalarType.Float64).to(type);
    }
}
