using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrainKit.Models.ResNet;
using TrainKit.Models.Transformer;
using TrainKit.Training.Export;
using TrainKit.Training.Tests.Data;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrainKit.Training.Tests.Export;

/// <summary>
/// The proof that an export is what PyTorch users load: tools/export/reference_models.py builds the same
/// architectures in plain PyTorch (Debian's 1.13 at /usr/bin/python3), loads the exported .pt or .safetensors with
/// <c>load_state_dict(strict=True)</c> and runs the same input batch; its logits must match TorchSharp's in eval mode
/// within 1e-5 (float32). The weights are seeded and then perturbed (BatchNorm statistics from train-mode passes,
/// noise on every parameter), so a swapped or misnamed tensor, including LayerNorm's and BatchNorm's, shows.
/// </summary>
[Trait("Category", "Slow")]
public class PyTorchReferenceTests(ITestOutputHelper output) : TempFolderTest
{
    const double Tolerance = 1e-5;
    const string Python = "/usr/bin/python3";

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData(ShortcutKind.ZeroPadIdentity, StateDictFormat.Pt)]
    [InlineData(ShortcutKind.ZeroPadIdentity, StateDictFormat.Safetensors)]
    [InlineData(ShortcutKind.Projection, StateDictFormat.Pt)]
    public void A_resnet20_export_gives_the_same_logits_in_pytorch(ShortcutKind shortcut, StateDictFormat format)
    {
        var config = new CifarResNetConfig(20, WidthMultiplier: 0.25, Shortcut: shortcut, Seed: 7);
        using var model = new CifarResNet(config);
        using var generator = new Generator(123);
        // Three train-mode passes move every BatchNorm's running statistics and counter away from their init.
        model.train();
        for (int i = 0; i < 3; i++)
            using (var scope = NewDisposeScope())
                model.forward(randn([8, 3, 32, 32], generator: generator) * 2 + 0.5);
        Perturb(model, generator);
        using var input = randn([4, 3, 32, 32], generator: generator);
        var spec = new JsonObject
        {
            ["model"] = "resnet",
            ["depth"] = 20,
            ["widths"] = new JsonArray([.. config.StageWidths.Select(w => (JsonNode)w)]),
            ["in_channels"] = 3,
            ["num_classes"] = 10,
            ["shortcut"] = shortcut == ShortcutKind.Projection ? "B" : "A",
        };
        Compare(model, input, spec, format);
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData(LayerNormPlacement.PreLN, StateDictFormat.Pt)]
    [InlineData(LayerNormPlacement.PreLN, StateDictFormat.Safetensors)]
    [InlineData(LayerNormPlacement.PostLN, StateDictFormat.Pt)]
    [InlineData(LayerNormPlacement.PostLN, StateDictFormat.Safetensors)]
    public void A_tiny_gpt_export_gives_the_same_logits_in_pytorch(LayerNormPlacement norm, StateDictFormat format)
    {
        var config = new TransformerConfig(VocabSize: 50, ContextLength: 16, Layers: 2, Heads: 2, EmbeddingDim: 16, Norm: norm, Seed: 5);
        using var model = new Gpt(config);
        using var generator = new Generator(321);
        Perturb(model, generator);
        using var tokens = randint(0, config.VocabSize, [3, 12], dtype: ScalarType.Int64, generator: generator);
        var spec = new JsonObject
        {
            ["model"] = "gpt",
            ["vocab"] = config.VocabSize,
            ["context"] = config.ContextLength,
            ["layers"] = config.Layers,
            ["heads"] = config.Heads,
            ["embedding"] = config.EmbeddingDim,
            ["norm"] = norm == LayerNormPlacement.PreLN ? "pre" : "post",
        };
        Compare(model, tokens, spec, format);
    }

    static void Perturb(nn.Module model, Generator generator)
    {
        using var _ = no_grad();
        foreach (var (_, parameter) in model.named_parameters())
            using (var noise = randn(parameter.shape, generator: generator) * 0.05)
                parameter.add_(noise);
    }

    void Compare(nn.Module<Tensor, Tensor> model, Tensor input, JsonObject spec, StateDictFormat format)
    {
        string folder = TempFolder("trainkit-export-ref-");
        string weights = Path.Combine(folder, "model" + format.Extension());
        var exported = PyTorchStateDict.From(model);
        int keys = exported.Count;
        try { StateDictFile.Write(weights, format, exported); }
        finally { foreach (var t in exported.Values) t.Dispose(); }
        string inputFile = Path.Combine(folder, "input.safetensors");
        StateDictFile.Write(inputFile, StateDictFormat.Safetensors, new Dictionary<string, Tensor> { ["input"] = input });
        spec["weights"] = weights;
        spec["input"] = inputFile;
        string specFile = Path.Combine(folder, "spec.json");
        File.WriteAllText(specFile, spec.ToJsonString());

        model.eval();
        float[] expected;
        using (var scope = NewDisposeScope())
        using (no_grad())
            expected = model.forward(input).contiguous().data<float>().ToArray();

        JsonNode result = RunReference(specFile);
        Assert.Equal(keys, result["keys"]!.GetValue<int>());
        double[] actual = [.. result["logits"]!.AsArray().Select(v => v!.GetValue<double>())];
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{spec["model"]} {format}: {keys} keys, {actual.Length} logits, {result["torch"]}, max |Δ| = {worst:E2}");
        Assert.True(worst <= Tolerance, $"logits differ by up to {worst:E3} (> {Tolerance}) between TorchSharp and PyTorch {result["torch"]}");
        // The comparison means something only if the logits are not all alike.
        Assert.True(expected.Max() - expected.Min() > 0.01, "the logits barely vary; the check would be vacuous");
    }

    static JsonNode RunReference(string specFile)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "tools", "export", "reference_models.py");
        Assert.True(File.Exists(Python), $"{Python} is missing: these tests need Debian's python3 with python3-torch (apt-get install python3-torch)");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(specFile);
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "reference_models.py did not finish within 120 s");
        Assert.True(process.ExitCode == 0, $"reference_models.py failed ({process.ExitCode}): {stderr.Result}");
        return JsonNode.Parse(stdout.Result.Trim().Split('\n')[^1])!;
    }
}
