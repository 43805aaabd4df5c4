using TrainKit.Models.ResNet;
using TrainKit.Models.Transformer;
using TrainKit.Training.Export;
using TrainKit.Training.Tests.Data;
using static TorchSharp.torch;

namespace TrainKit.Training.Tests.Export;

/// <summary>Exported files read back into a model bit for bit, and loading is as strict as PyTorch's
/// <c>load_state_dict(strict=True)</c>: a missing or unexpected key, another shape, or a tied head that differs is
/// refused naming the key, and the model keeps its weights.</summary>
public class StateDictRoundTripTests : TempFolderTest
{
    static CifarResNet ResNet(long seed) => new(new CifarResNetConfig(20, WidthMultiplier: 0.25, Seed: seed));

    static Gpt Gpt(long seed) => new(new TransformerConfig(VocabSize: 20, ContextLength: 8, Layers: 2, Heads: 2, EmbeddingDim: 8, Seed: seed));

    static void StepBatchNorm(CifarResNet model)
    {
        model.train();
        using var scope = NewDisposeScope();
        using var generator = new Generator(9);
        model.forward(randn([4, 3, 32, 32], generator: generator));
    }

    static void AssertSameState(nn.Module expected, nn.Module actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (string key in a.Keys)
        {
            Assert.Equal(a[key].shape, b[key].shape);
            using var equal = a[key].eq(b[key]).all();
            Assert.True(equal.item<bool>(), $"{key} differs");
        }
    }

    string Write(Dictionary<string, Tensor> weights, StateDictFormat format)
    {
        string path = Path.Combine(TempFolder("trainkit-export-"), "weights" + format.Extension());
        StateDictFile.Write(path, format, weights);
        return path;
    }

    string Export(nn.Module model, StateDictFormat format, Action<Dictionary<string, Tensor>>? edit = null)
    {
        var weights = PyTorchStateDict.From(model);
        edit?.Invoke(weights);
        try { return Write(weights, format); }
        finally { foreach (var t in weights.Values) t.Dispose(); }
    }

    [Theory]
    [InlineData(StateDictFormat.Pt)]
    [InlineData(StateDictFormat.Safetensors)]
    public void A_resnet_reads_back_bit_for_bit_with_int64_batch_counters(StateDictFormat format)
    {
        using var source = ResNet(1);
        StepBatchNorm(source);
        string path = Export(source, format);
        var read = StateDictFile.Read(path);
        Assert.Equal(ScalarType.Int64, read["bn1.num_batches_tracked"].dtype);
        Assert.Equal(1L, read["layer2.0.bn1.num_batches_tracked"].item<long>());
        foreach (var t in read.Values) t.Dispose();

        using var target = ResNet(2);
        InitFrom.Load(target, path);
        AssertSameState(source, target);
    }

    [Theory]
    [InlineData(StateDictFormat.Pt)]
    [InlineData(StateDictFormat.Safetensors)]
    public void A_gpt_reads_back_bit_for_bit_and_writes_the_tied_head_under_both_names(StateDictFormat format)
    {
        using var source = Gpt(1);
        string path = Export(source, format);
        var read = StateDictFile.Read(path);
        using (var same = read["lm_head.weight"].eq(read["transformer.wte.weight"]).all()) Assert.True(same.item<bool>());
        foreach (var t in read.Values) t.Dispose();

        using var target = Gpt(2);
        InitFrom.Load(target, path);
        AssertSameState(source, target);
    }

    [Fact]
    public void A_missing_key_is_refused_naming_it_and_the_model_keeps_its_weights()
    {
        using var source = ResNet(1);
        string path = Export(source, StateDictFormat.Pt, w => { w["layer1.0.bn1.running_mean"].Dispose(); w.Remove("layer1.0.bn1.running_mean"); });
        using var target = ResNet(2);
        using var before = ResNet(2);
        var e = Assert.Throws<InvalidDataException>(() => InitFrom.Load(target, path));
        Assert.Contains("missing key 'layer1.0.bn1.running_mean'", e.Message);
        Assert.Contains("model.init_from", e.Message);
        Assert.Contains(path, e.Message);
        AssertSameState(before, target);
    }

    [Fact]
    public void An_unexpected_key_a_wrong_shape_and_an_untied_head_are_refused_by_name()
    {
        using var source = Gpt(1);
        using var target = Gpt(2);
        string extra = Export(source, StateDictFormat.Safetensors, w => w["transformer.h.0.attn.bias"] = ones(8, 8));
        Assert.Contains("unexpected key 'transformer.h.0.attn.bias'", Assert.Throws<InvalidDataException>(() => InitFrom.Load(target, extra)).Message);

        string shape = Export(source, StateDictFormat.Pt, w => { w["transformer.wpe.weight"].Dispose(); w["transformer.wpe.weight"] = zeros(1, 8); });
        var e = Assert.Throws<InvalidDataException>(() => InitFrom.Load(target, shape));
        Assert.Contains("'transformer.wpe.weight' has shape [1, 8], the model needs [8, 8]", e.Message);

        string untied = Export(source, StateDictFormat.Pt, w => w["lm_head.weight"].add_(1));
        Assert.Contains("'lm_head.weight' differs from 'transformer.wte.weight'", Assert.Throws<InvalidDataException>(() => InitFrom.Load(target, untied)).Message);

        using var fresh = Gpt(2);
        AssertSameState(fresh, target);
    }

    [Fact]
    public void A_file_of_another_model_is_refused_naming_a_key()
    {
        using var resnet = ResNet(1);
        string path = Export(resnet, StateDictFormat.Pt);
        using var gpt = Gpt(1);
        Assert.Contains("missing key 'transformer.wte.weight'", Assert.Throws<InvalidDataException>(() => InitFrom.Load(gpt, path)).Message);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, (byte)'{', (byte)'}' })]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}' })]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4, 0, 0, 0 })]
    public void A_corrupt_file_is_bad_input_naming_it(byte[] content)
    {
        string path = Path.Combine(TempFolder("trainkit-export-"), "broken.pt");
        File.WriteAllBytes(path, content);
        using var model = ResNet(1);
        var e = Assert.ThrowsAny<Exception>(() => InitFrom.Load(model, path));
        Assert.True(e is InvalidDataException, $"{e.GetType().Name}: {e.Message}");
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_missing_file_names_the_key_and_the_path()
    {
        using var model = ResNet(1);
        var e = Assert.Throws<FileNotFoundException>(() => InitFrom.Load(model, "/nonexistent/weights.pt"));
        Assert.Contains("model.init_from", e.Message);
        Assert.Contains("/nonexistent/weights.pt", e.Message);
    }
}
