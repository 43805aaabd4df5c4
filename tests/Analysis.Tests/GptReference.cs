using System.Text.Json;
using TrainKit.Models.Transformer;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>tests/fixtures/sharpness/gpt.json (tools/sharpness/reference_gpt.py): TrainKit's own <see cref="Gpt"/> with
/// one Pre-LN block (causal self-attention, 2 heads of 4; MLP 8→32→8 with exact GELU), vocabulary 7, context 4, head
/// tied to the token embedding, 976 weights, in float64; 16 sequences fed as 10 + 6, mean next-token cross-entropy
/// over all 64 positions (every sequence is full length, so weighting pieces by sequence count is the token mean).
/// The fixture has H's spectrum, ten columns and its diagonal, not the dense 976×976 matrix.</summary>
public sealed class GptReference : ExactHessianReference
{
    public GptReference() : base("gpt.json", Build, (o, t) => nn.functional.cross_entropy(o.reshape(-1, o.shape[^1]), t.reshape(-1)),
        ScalarType.Int64)
    {
    }

    static nn.Module<Tensor, Tensor> Build(JsonElement json)
    {
        var c = json.GetProperty("model").GetProperty("config");
        if (c.GetProperty("norm").GetString() != "pre" || c.GetProperty("head").GetString() != "tied" || !c.GetProperty("bias").GetBoolean())
            throw new InvalidOperationException("gpt.json describes a model TrainKit's Gpt is not: expected Pre-LN, tied head, biases");
        return new Gpt(new TransformerConfig(VocabSize: c.GetProperty("vocab").GetInt32(), ContextLength: c.GetProperty("context").GetInt32(),
            Layers: c.GetProperty("layers").GetInt32(), Heads: c.GetProperty("heads").GetInt32(), EmbeddingDim: c.GetProperty("dim").GetInt32(),
            Dropout: 0, Norm: LayerNormPlacement.PreLN, Bias: true));
    }
}
