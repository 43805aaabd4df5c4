using System.Text.Json.Serialization;

namespace TrainKit.Training.Data.Text;

/// <summary>How a corpus becomes tokens (spelled as in a run configuration's data.tokenizer).</summary>
public enum TokenizerKind
{
    /// <summary>One token per distinct character.</summary>
    [JsonStringEnumMemberName("char")] Character,
    /// <summary>tiktoken's cl100k_base, its vocabulary compacted to the ids the corpus uses.</summary>
    [JsonStringEnumMemberName("cl100k")] Cl100k,
    [JsonStringEnumMemberName("o200k")] O200k,
}

/// <summary>A corpus as one token stream, split contiguously: the first part trains, the tail
/// validates. (Contiguous, not shuffled, so validation text never overlaps training windows.)</summary>
public sealed record TokenizedCorpus(ITextTokenizer Tokenizer, int[] Train, int[] Validation)
{
    public static TokenizedCorpus Create(TextCorpus corpus, TokenizerKind kind, double validationFraction = 0.1)
    {
        ITextTokenizer tokenizer = kind switch
        {
            TokenizerKind.Character => new CharacterTokenizer(corpus.Text),
            TokenizerKind.Cl100k => CompactTiktokenTokenizer.Build(corpus.Text, "cl100k_base"),
            TokenizerKind.O200k => CompactTiktokenTokenizer.Build(corpus.Text, "o200k_base"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return Create(corpus, tokenizer, validationFraction);
    }

    public static TokenizedCorpus Create(TextCorpus corpus, ITextTokenizer tokenizer, double validationFraction = 0.1)
    {
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), $"validation fraction must be in [0, 1), got {validationFraction}");
        int[] tokens = tokenizer.Encode(corpus.Text);
        int validationCount = (int)Math.Round(tokens.Length * validationFraction);
        return new TokenizedCorpus(tokenizer, tokens[..^validationCount], tokens[^validationCount..]);
    }
}
