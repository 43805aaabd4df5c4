using System.Text;

namespace TrainKit.Training.Data.Text;

/// <summary>One id per distinct Unicode scalar value (not per UTF-16 char, so an emoji is one token)
/// of the corpus, ordered by code point: the char-level tokenizer of nanoGPT's Shakespeare example.</summary>
public sealed class CharacterTokenizer : ITextTokenizer
{
    readonly Rune[] runes;
    readonly Dictionary<Rune, int> ids;

    public CharacterTokenizer(string corpusText)
    {
        runes = corpusText.EnumerateRunes().Distinct().Order().ToArray();
        if (runes.Length == 0) throw new ArgumentException("cannot build a character vocabulary from empty text");
        ids = runes.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i);
    }

    public int VocabSize => runes.Length;

    public int[] Encode(string text)
    {
        var result = new List<int>(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
            result.Add(ids.TryGetValue(rune, out int id)
                ? id
                : throw new ArgumentException($"character '{rune}' (U+{rune.Value:X4}) is not in the corpus vocabulary of {VocabSize} characters"));
        return [.. result];
    }

    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        foreach (int id in ids)
            text.Append((uint)id < (uint)runes.Length ? runes[id].ToString() : throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is outside 0..{VocabSize - 1}"));
        return text.ToString();
    }
}
