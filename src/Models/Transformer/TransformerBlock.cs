using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrainKit.Models.Transformer;

/// <summary>One decoder block: attention then MLP, each a residual branch, with the LayerNorms placed
/// before the branches (Pre-LN) or after the additions (Post-LN).</summary>
public sealed class TransformerBlock : Module<Tensor, Tensor>
{
    readonly LayerNorm norm1, norm2;
    readonly CausalSelfAttention attention;
    readonly FeedForward feedForward;

    public LayerNormPlacement Placement { get; }

    public TransformerBlock(TransformerConfig config) : base(nameof(TransformerBlock))
    {
        Placement = config.Norm;
        norm1 = LayerNorm(config.EmbeddingDim, bias: config.Bias);
        attention = new CausalSelfAttention(config);
        norm2 = LayerNorm(config.EmbeddingDim, bias: config.Bias);
        feedForward = new FeedForward(config);
        RegisterComponents();
    }

    internal IEnumerable<Linear> ResidualOutputProjections => [attention.OutputProjection, feedForward.OutputProjection];

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor y = Placement == LayerNormPlacement.PreLN
            ? PreLN(x)
            : PostLN(x);
        return y.MoveToOuterDisposeScope();
    }

    Tensor PreLN(Tensor x)
    {
        x = x + attention.forward(norm1.forward(x));
        return x + feedForward.forward(norm2.forward(x));
    }

    Tensor PostLN(Tensor x)
    {
        x = norm1.forward(x + attention.forward(x));
        return norm2.forward(x + feedForward.forward(x));
    }
}
