using System.Text.Json.Serialization;

namespace TrainKit.Models.Transformer;

/// <summary>Where each block normalises (spelled <c>pre</c> / <c>post</c> in a run configuration's model.norm).</summary>
public enum LayerNormPlacement
{
    /// <summary>GPT-2 style: x + f(LN(x)) inside each block, one final LayerNorm before the head.
    /// Trains stably without warmup.</summary>
    [JsonStringEnumMemberName("pre")] PreLN,

    /// <summary>Original Transformer (Vaswani et al. 2017): LN(x + f(x)) after each sub-layer, no final
    /// LayerNorm. Usually needs learning-rate warmup.</summary>
    [JsonStringEnumMemberName("post")] PostLN,
}

/// <summary>A small GPT-style decoder-only language model (nanoGPT's GPTConfig).</summary>
/// <param name="VocabSize">Number of token ids; the head shares the token embedding (weight tying).</param>
/// <param name="ContextLength">Longest sequence (block size); the learned positional table has this many rows.</param>
/// <param name="Dropout">Used on embeddings, attention weights and both residual branches.</param>
/// <param name="Bias">Biases in Linear layers and LayerNorms.</param>
/// <param name="Seed">Weight-initialisation seed.</param>
public sealed record TransformerConfig(
    int VocabSize,
    int ContextLength = 128,
    int Layers = 4,
    int Heads = 4,
    int EmbeddingDim = 128,
    double Dropout = 0.0,
    LayerNormPlacement Norm = LayerNormPlacement.PreLN,
    bool Bias = true,
    long Seed = 0)
{
    public int HeadDim => EmbeddingDim / Heads;

    public void Validate()
    {
        if (VocabSize < 2) throw new ArgumentException($"VocabSize must be >= 2, got {VocabSize}");
        if (ContextLength < 1) throw new ArgumentException($"ContextLength must be >= 1, got {ContextLength}");
        if (Layers < 1) throw new ArgumentException($"Layers must be >= 1, got {Layers}");
        if (Heads < 1 || EmbeddingDim < 1 || EmbeddingDim % Heads != 0)
            throw new ArgumentException($"EmbeddingDim ({EmbeddingDim}) must be a positive multiple of Heads ({Heads})");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"Dropout must be in [0, 1), got {Dropout}");
    }
}
