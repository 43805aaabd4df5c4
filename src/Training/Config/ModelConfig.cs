using System.Text.Json.Serialization;
using TrainKit.Models;
using TrainKit.Models.Transformer;

namespace TrainKit.Training.Config;

/// <summary>
/// The run's <c>model</c> block, one record per kind of model: its <c>name</c> picks the kind
/// (<c>{"name": "resnet20", "width": 0.5}</c>) and each kind holds only the keys its model reads, so a GPT run
/// cannot carry an ignored <c>width</c> nor a ResNet run an ignored <c>heads</c>. <see cref="ModelConfigConverter"/>
/// reads the block by its name and refuses a key of another kind by name.
/// </summary>
[JsonConverter(typeof(ModelConfigConverter))]
public abstract record ModelConfig
{
    /// <summary>resnet20/32/44/56/110 (any resnet{6n+2}), preact-resnet18, mlp-tanh, or gpt.</summary>
    [JsonPropertyOrder(-1)]
    public string Name { get; init; }

    /// <param name="name">The kind's default name.</param>
    /// <param name="family">The kind.</param>
    protected ModelConfig(string name, ModelFamily family)
    {
        Name = name;
        Family = family;
    }

    /// <summary>A .pt or .safetensors state_dict in the PyTorch layout <c>trainkit export</c> writes, loaded into the
    /// model before step 0 (strictly: a missing or unexpected key or another shape is refused naming it). Written only
    /// when set, so the configuration (and config hash) of a run that leaves it out is unchanged.</summary>
    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InitFrom { get; init; }

    /// <summary>The kind of model <see cref="Name"/> must name.</summary>
    [JsonIgnore]
    public ModelFamily Family { get; }
}

/// <summary>An image classifier: every one scales its filters or hidden units by <see cref="Width"/>.</summary>
public abstract record ImageModelConfig : ModelConfig
{
    /// <inheritdoc/>
    protected ImageModelConfig(string name, ModelFamily family) : base(name, family) { }

    /// <summary>Channel-width multiplier (1.0 = the paper), for quick CPU runs.</summary>
    public double Width { get; init; } = 1.0;
}

/// <summary>A CIFAR ResNet of depth 6n+2 (resnet20, resnet32, ..., He et al. 2016a).</summary>
public sealed record CifarResNetModelConfig() : ImageModelConfig("resnet20", ModelFamily.CifarResNet);

/// <summary>Pre-activation ResNet-18 (preact-resnet18, He et al. 2016b).</summary>
public sealed record PreActResNetModelConfig() : ImageModelConfig("preact-resnet18", ModelFamily.PreActResNet18);

/// <summary>The tanh MLP of the edge-of-stability experiments (mlp-tanh): 200 × width hidden units per layer.</summary>
public sealed record TanhMlpModelConfig() : ImageModelConfig("mlp-tanh", ModelFamily.TanhMlp);

/// <summary>A small GPT (gpt): layers, embedding width, heads, context, dropout, pre-LN or post-LN.</summary>
public sealed record GptModelConfig() : ModelConfig("gpt", ModelFamily.Gpt)
{
    public int Layers { get; init; } = 4;
    public int Embedding { get; init; } = 128;
    public int Heads { get; init; } = 4;
    public int Context { get; init; } = 64;
    public double Dropout { get; init; } = 0.0;
    /// <summary>pre (GPT-2's Pre-LN) or post (the original Transformer's Post-LN).</summary>
    [JsonConverter(typeof(ChoiceConverter<LayerNormPlacement>))]
    public LayerNormPlacement Norm { get; init; } = LayerNormPlacement.PreLN;
}
