using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrainKit.Models.Transformer;

/// <summary>A small GPT: token + learned positional embeddings → dropout → N <see cref="TransformerBlock"/>s
/// → final LayerNorm (Pre-LN only) → logits through the token embedding's transpose (weight tying:
/// the head has no parameters of its own). Input [B, T] int64 ids, output [B, T, vocab] logits.
/// Init as GPT-2/nanoGPT: N(0, 0.02) for Linear and Embedding weights, zero biases, and
/// N(0, 0.02/√(2·layers)) for the projections that end each residual branch.</summary>
public sealed class Gpt : Module<Tensor, Tensor>
{
    readonly Embedding tokenEmbedding, positionEmbedding;
    readonly Dropout embeddingDropout;
    readonly ModuleList<TransformerBlock> blocks;
    readonly Module<Tensor, Tensor> finalNorm; // LayerNorm for Pre-LN, Identity for Post-LN

    public TransformerConfig Config { get; }

    public Gpt(TransformerConfig config) : base("gpt")
    {
        config.Validate();
        Config = config;
        tokenEmbedding = Embedding(config.VocabSize, config.EmbeddingDim);
        positionEmbedding = Embedding(config.ContextLength, config.EmbeddingDim);
        embeddingDropout = Dropout(config.Dropout);
        blocks = new ModuleList<TransformerBlock>(Enumerable.Range(0, config.Layers).Select(_ => new TransformerBlock(config)).ToArray());
        finalNorm = config.Norm == LayerNormPlacement.PreLN
            ? LayerNorm(config.EmbeddingDim, bias: config.Bias)
            : Identity();
        RegisterComponents();
        ResetParameters(config.Seed);
    }

    public IReadOnlyList<TransformerBlock> Blocks => blocks.ToList();

    /// <summary>The token embedding matrix [vocab, C], also the output head.</summary>
    public Tensor TokenEmbeddingWeight => tokenEmbedding.weight!;

    public void ResetParameters(long seed)
    {
        using var generator = new Generator((ulong)seed);
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    WeightInit.Normal(linear.weight, 0.02, generator);
                    WeightInit.Constant(linear.bias, 0);
                    break;
                case Embedding embedding:
                    WeightInit.Normal(embedding.weight!, 0.02, generator);
                    break;
                default:
                    WeightInit.NormIdentity(module);
                    break;
            }
        }
        // GPT-2: scale the init of each residual branch's last projection by 1/√(2·layers) so the
        // residual stream's variance does not grow with depth.
        double residualStd = 0.02 / Math.Sqrt(2.0 * Config.Layers);
        foreach (var projection in blocks.SelectMany(b => b.ResidualOutputProjections))
            WeightInit.Normal(projection.weight, residualStd, generator);
    }

    public override Tensor forward(Tensor tokens)
    {
        InputChecks.RequireTokenBatch(tokens, Config.ContextLength, Config.VocabSize, "GPT");
        using var scope = NewDisposeScope();
        long time = tokens.shape[1];
        Tensor positions = arange(time, dtype: ScalarType.Int64, device: tokens.device);
        Tensor x = embeddingDropout.forward(tokenEmbedding.forward(tokens) + positionEmbedding.forward(positions));
        foreach (var block in blocks)
            x = block.forward(x);
        x = finalNorm.forward(x);
        Tensor logits = functional.linear(x, tokenEmbedding.weight!);
        return logits.MoveToOuterDisposeScope();
    }
}
