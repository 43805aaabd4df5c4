using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrainKit.Models.Transformer;

/// <summary>The position-wise MLP: C → 4C → GELU → C, then dropout.</summary>
public sealed class FeedForward : Module<Tensor, Tensor>
{
    readonly Linear expand, project;
    readonly Dropout dropout;

    public FeedForward(TransformerConfig config) : base(nameof(FeedForward))
    {
        expand = Linear(config.EmbeddingDim, 4 * config.EmbeddingDim, hasBias: config.Bias);
        project = Linear(4 * config.EmbeddingDim, config.EmbeddingDim, hasBias: config.Bias);
        dropout = Dropout(config.Dropout);
        RegisterComponents();
    }

    internal Linear OutputProjection => project;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return dropout.forward(project.forward(functional.gelu(expand.forward(x)))).MoveToOuterDisposeScope();
    }
}
