using Microsoft.ML.Tokenizers;

namespace TrainKit.Training.Data.Text;

/// <summary>A tiktoken BPE (cl100k_base, GPT-4's; or o200k_base, GPT-4o's) with its vocabulary
/// <b>compacted</b> to the ids that occur in the corpus: cl100k has 100,277 entries but the ~2.5 MB of
/// fortunes use only ~20k, and an embedding table (tied to the head) over unused ids is wasted
/// parameters and softmax work. The dense→original table is kept to decode.</summary>
public sealed class CompactTiktokenTokenizer : ITextTokenizer
{
    readonly Tokenizer bpe;
    readonly int[] originalIds;               // dense id → tiktoken id (ascending)
    readonly Dictionary<int, int> denseIds;   // tiktoken id → dense id

    public string Encoding { get; }

    CompactTiktokenTokenizer(Tokenizer bpe, string encoding, int[] originalIds)
    {
        this.bpe = bpe;
        Encoding = encoding;
        this.originalIds = originalIds;
        denseIds = originalIds.Select((id, dense) => (id, dense)).ToDictionary(p => p.id, p => p.dense);
    }

    /// <param name="encoding">"cl100k_base" (default) or "o200k_base".</param>
    public static CompactTiktokenTokenizer Build(string corpusText, string encoding = "cl100k_base")
    {
        if (string.IsNullOrEmpty(corpusText)) throw new ArgumentException("cannot build a vocabulary from empty text");
        Tokenizer bpe = Create(encoding);
        int[] used = bpe.EncodeToIds(corpusText).Distinct().Order().ToArray();
        return new CompactTiktokenTokenizer(bpe, encoding, used);
    }

    static Tokenizer Create(string encoding) => encoding switch
    {
        // The vocabularies come from the Microsoft.ML.Tokenizers.Data.* packages: no download.
        "cl100k_base" => TiktokenTokenizer.CreateForModel("gpt-4"),
        "o200k_base" => TiktokenTokenizer.CreateForModel("gpt-4o"),
        _ => throw new ArgumentException($"unknown tiktoken encoding '{encoding}' (cl100k_base or o200k_base)"),
    };

    public int VocabSize => originalIds.Length;

    /// <summary>The tiktoken id behind a dense id.</summary>
    public int OriginalId(int denseId) => originalIds[denseId];

    public int[] Encode(string text)
    {
        var ids = bpe.EncodeToIds(text);
        var dense = new int[ids.Count];
        for (int i = 0; i < dense.Length; i++)
            dense[i] = denseIds.TryGetValue(ids[i], out int d)
                ? d
                : throw new ArgumentException($"token {bpe.Decode([ids[i]])!.ReplaceLineEndings("\\n")} ({Encoding} id {ids[i]}) does not occur in the corpus this vocabulary was built from");
        return dense;
    }

    public string Decode(IEnumerable<int> ids) =>
        bpe.Decode(ids.Select(id => (uint)id < (uint)originalIds.Length
            ? originalIds[id]
            : throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is outside 0..{VocabSize - 1}")).ToList()) ?? "";
}
