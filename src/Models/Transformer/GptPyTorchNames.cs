using System.Text.RegularExpressions;

namespace TrainKit.Models.Transformer;

/// <summary>
/// State-dict names of <see cref="Gpt"/> as nanoGPT (karpathy/nanoGPT, model.py) writes them:
/// <c>transformer.wte/wpe</c> for the token and position tables, <c>transformer.h.{i}.ln_1</c>, <c>.attn.c_attn</c>
/// (our fused q/k/v Linear: the same [3C, C] matrix, rows in q, k, v order as nanoGPT splits them), <c>.attn.c_proj</c>,
/// <c>.ln_2</c>, <c>.mlp.c_fc</c>, <c>.mlp.c_proj</c>, then <c>transformer.ln_f</c> (Pre-LN only: a Post-LN model has no
/// final LayerNorm, so the key is absent) and <c>lm_head.weight</c>.
/// The head is tied to the token embedding, as in nanoGPT, whose state_dict lists the shared tensor under both
/// names: an export writes <c>lm_head.weight</c> as a copy of <c>transformer.wte.weight</c> (see <see cref="TiedCopies"/>)
/// so that nanoGPT's <c>load_state_dict(strict=True)</c> finds it. nanoGPT's causal-mask buffer <c>attn.bias</c>
/// (registered only when flash attention is unavailable) is not a weight and is not written.
/// </summary>
public static partial class GptPyTorchNames
{
    /// <summary>PyTorch keys that hold a copy of another exported key (its PyTorch name), because our module shares
    /// one tensor where nanoGPT's state_dict names it twice.</summary>
    public static readonly IReadOnlyList<(string Copy, string Of)> TiedCopies = [("lm_head.weight", "transformer.wte.weight")];

    /// <summary>The PyTorch name of one of <see cref="Gpt"/>'s state-dict keys; a key this map does not know throws.</summary>
    public static string ToPyTorch(string key)
    {
        switch (key)
        {
            case "tokenEmbedding.weight": return "transformer.wte.weight";
            case "positionEmbedding.weight": return "transformer.wpe.weight";
            case "finalNorm.weight" or "finalNorm.bias": return "transformer.ln_f." + key["finalNorm.".Length..];
        }
        Match block = BlockKey().Match(key);
        if (block.Success && BlockModules.TryGetValue(block.Groups["module"].Value, out string? module))
            return $"transformer.h.{block.Groups["layer"].Value}.{module}.{block.Groups["leaf"].Value}";
        throw new KeyNotFoundException($"GPT state-dict key '{key}' has no PyTorch name (GptPyTorchNames)");
    }

    // Our module paths inside a block → nanoGPT's.
    static readonly Dictionary<string, string> BlockModules = new()
    {
        ["norm1"] = "ln_1",
        ["attention.qkv"] = "attn.c_attn",
        ["attention.output"] = "attn.c_proj",
        ["norm2"] = "ln_2",
        ["feedForward.expand"] = "mlp.c_fc",
        ["feedForward.project"] = "mlp.c_proj",
    };

    [GeneratedRegex(@"^blocks\.(?<layer>0|[1-9][0-9]*)\.(?<module>norm1|norm2|attention\.qkv|attention\.output|feedForward\.expand|feedForward\.project)\.(?<leaf>weight|bias)$")]
    private static partial Regex BlockKey();
}
