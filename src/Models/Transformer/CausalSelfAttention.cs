using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrainKit.Models.Transformer;

/// <summary>Multi-head causal self-attention written out op by op: softmax(q·kᵀ/√d + causal mask)·v.
/// Deliberately not the fused scaled_dot_product_attention kernel: every op here has a
/// differentiable backward, so the graph supports double backward (Hessian-vector products).</summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    readonly Linear qkv;       // the three projections in one matmul
    readonly Linear output;
    readonly Dropout attentionDropout, residualDropout;
    readonly int heads, embeddingDim;

    public CausalSelfAttention(TransformerConfig config) : base(nameof(CausalSelfAttention))
    {
        heads = config.Heads;
        embeddingDim = config.EmbeddingDim;
        qkv = Linear(config.EmbeddingDim, 3 * config.EmbeddingDim, hasBias: config.Bias);
        output = Linear(config.EmbeddingDim, config.EmbeddingDim, hasBias: config.Bias);
        attentionDropout = Dropout(config.Dropout);
        residualDropout = Dropout(config.Dropout);
        RegisterComponents();
    }

    internal Linear OutputProjection => output;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], time = x.shape[1];
        long headDim = embeddingDim / heads;

        Tensor[] qkvParts = qkv.forward(x).split(embeddingDim, dim: 2);
        // [B, T, C] -> [B, heads, T, headDim]
        Tensor SplitHeads(Tensor t) => t.view(batch, time, heads, headDim).transpose(1, 2);
        Tensor q = SplitHeads(qkvParts[0]), k = SplitHeads(qkvParts[1]), v = SplitHeads(qkvParts[2]);

        Tensor scores = q.matmul(k.transpose(-2, -1)) * (1.0 / Math.Sqrt(headDim));
        // [T, T], true where position i may attend to position j (j <= i). Built per call rather than
        // kept as a buffer: it is tiny, and it then always lives on the input's device.
        Tensor visible = ones(time, time, dtype: ScalarType.Bool, device: x.device).tril();
        scores = scores.masked_fill(visible.logical_not(), double.NegativeInfinity);
        Tensor weights = attentionDropout.forward(functional.softmax(scores, dim: -1));
        Tensor mixed = weights.matmul(v).transpose(1, 2).contiguous().view(batch, time, embeddingDim);
        return residualDropout.forward(output.forward(mixed)).MoveToOuterDisposeScope();
    }
}
