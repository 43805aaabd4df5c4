using TrainKit.Models.ResNet;
using TrainKit.Models.Transformer;
using static TorchSharp.torch;

namespace TrainKit.Models.Tests;

/// <summary>Every parameter and buffer of every model kind export supports gets a PyTorch name, no two the same,
/// and the names are the ones akamaster's CIFAR ResNets and nanoGPT use.</summary>
public class PyTorchLayoutTests
{
    public static TheoryData<string> Models() => ["resnet20-A", "resnet20-B", "resnet32-A", "resnet44-B", "gpt-pre", "gpt-post", "gpt-pre-3layers"];

    static nn.Module Build(string kind) => kind switch
    {
        "resnet20-A" => new CifarResNet(new CifarResNetConfig(20, WidthMultiplier: 0.25)),
        "resnet20-B" => new CifarResNet(new CifarResNetConfig(20, WidthMultiplier: 0.25, Shortcut: ShortcutKind.Projection)),
        "resnet32-A" => new CifarResNet(new CifarResNetConfig(32, InChannels: 1, ImageSize: 28, WidthMultiplier: 0.25)),
        "resnet44-B" => new CifarResNet(new CifarResNetConfig(44, WidthMultiplier: 0.25, Shortcut: ShortcutKind.Projection)),
        "gpt-pre" => new Gpt(new TransformerConfig(30, 8, Layers: 2, Heads: 2, EmbeddingDim: 8)),
        "gpt-post" => new Gpt(new TransformerConfig(30, 8, Layers: 2, Heads: 2, EmbeddingDim: 8, Norm: LayerNormPlacement.PostLN)),
        "gpt-pre-3layers" => new Gpt(new TransformerConfig(30, 8, Layers: 3, Heads: 2, EmbeddingDim: 8)),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_key_of_every_model_kind_is_mapped_once(string kind)
    {
        using var model = Build(kind);
        var state = model.state_dict();
        PyTorchLayout layout = PyTorchLayout.Of(model);
        Assert.Equal(state.Keys, layout.Keys.Select(k => k.Ours));
        Assert.Equal(layout.Keys.Count, layout.Keys.Select(k => k.PyTorch).Distinct().Count());
        Assert.Equal(state.Count, layout.Keys.Count);
        foreach (var (copy, of) in layout.TiedCopies)
        {
            Assert.Contains(of, layout.Keys.Select(k => k.PyTorch));
            Assert.DoesNotContain(copy, layout.Keys.Select(k => k.PyTorch));
        }
    }

    [Fact]
    public void Cifar_resnet_names_follow_akamaster()
    {
        using var a = Build("resnet20-A");
        var names = PyTorchLayout.Of(a).Keys.ToDictionary(k => k.PyTorch, k => k.Ours);
        Assert.Equal("stem.weight", names["conv1.weight"]);
        foreach (string leaf in new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" })
            Assert.Equal($"stemNorm.{leaf}", names[$"bn1.{leaf}"]);
        Assert.Equal("stages.stage1_block1.conv1.weight", names["layer1.0.conv1.weight"]);
        Assert.Equal("stages.stage3_block3.bn2.running_var", names["layer3.2.bn2.running_var"]);
        Assert.Equal("classifier.weight", names["linear.weight"]);
        // ResNet-20: stem conv + BN (5) + 9 blocks × (2 convs + 2 BNs × 5) + linear (2); option A has no shortcut weights.
        Assert.Equal(1 + 5 + 9 * (2 + 2 * 5) + 2, names.Count);
        Assert.DoesNotContain(names.Keys, k => k.Contains("shortcut", StringComparison.Ordinal));

        using var b = Build("resnet20-B");
        var projected = PyTorchLayout.Of(b).Keys.ToDictionary(k => k.PyTorch, k => k.Ours);
        Assert.Equal("stages.stage2_block1.projection.conv.weight", projected["layer2.0.shortcut.0.weight"]);
        Assert.Equal("stages.stage3_block1.projection.bn.num_batches_tracked", projected["layer3.0.shortcut.1.num_batches_tracked"]);
        Assert.Equal(names.Count + 2 * (1 + 5), projected.Count);
    }

    [Fact]
    public void Gpt_names_follow_nanogpt_with_the_tied_head()
    {
        using var pre = Build("gpt-pre");
        PyTorchLayout layout = PyTorchLayout.Of(pre);
        var names = layout.Keys.ToDictionary(k => k.PyTorch, k => k.Ours);
        Assert.Equal("tokenEmbedding.weight", names["transformer.wte.weight"]);
        Assert.Equal("positionEmbedding.weight", names["transformer.wpe.weight"]);
        Assert.Equal("blocks.1.attention.qkv.weight", names["transformer.h.1.attn.c_attn.weight"]);
        Assert.Equal("blocks.0.attention.output.bias", names["transformer.h.0.attn.c_proj.bias"]);
        Assert.Equal("blocks.0.norm1.weight", names["transformer.h.0.ln_1.weight"]);
        Assert.Equal("blocks.0.norm2.bias", names["transformer.h.0.ln_2.bias"]);
        Assert.Equal("blocks.1.feedForward.expand.weight", names["transformer.h.1.mlp.c_fc.weight"]);
        Assert.Equal("blocks.1.feedForward.project.bias", names["transformer.h.1.mlp.c_proj.bias"]);
        Assert.Equal("finalNorm.weight", names["transformer.ln_f.weight"]);
        Assert.Equal([("lm_head.weight", "transformer.wte.weight")], layout.TiedCopies);
        // 2 tables + 2 blocks × (2 LayerNorms + 4 Linears) × (weight, bias) + ln_f (2).
        Assert.Equal(2 + 2 * 6 * 2 + 2, names.Count);

        using var post = Build("gpt-post");
        Assert.DoesNotContain(PyTorchLayout.Of(post).Keys, k => k.PyTorch.StartsWith("transformer.ln_f", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("stages.stage4_block1.conv1.weight")]
    [InlineData("stages.stage1_block1.conv3.weight")]
    [InlineData("stem.bias")]
    [InlineData("classifier.running_mean")]
    public void An_unknown_resnet_key_fails_loudly(string key) =>
        Assert.Contains(key, Assert.Throws<KeyNotFoundException>(() => CifarResNetPyTorchNames.ToPyTorch(key)).Message);

    [Theory]
    [InlineData("blocks.0.attention.q.weight")]
    [InlineData("blocks.0.norm3.weight")]
    [InlineData("head.weight")]
    public void An_unknown_gpt_key_fails_loudly(string key) =>
        Assert.Contains(key, Assert.Throws<KeyNotFoundException>(() => GptPyTorchNames.ToPyTorch(key)).Message);

    [Fact]
    public void Models_without_a_map_are_refused_by_name()
    {
        using var preact = ModelFactory.Create(new ModelSpec("preact-resnet18", Width: 0.125));
        var e = Assert.Throws<ArgumentException>(() => PyTorchLayout.Of(preact));
        Assert.Contains("no PyTorch key map", e.Message);
    }
}
