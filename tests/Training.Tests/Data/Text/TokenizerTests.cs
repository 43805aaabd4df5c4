using TrainKit.Training.Data.Text;

namespace TrainKit.Training.Tests.Data.Text;

public class TokenizerTests
{
    const string DebianFortunes = "/usr/share/games/fortunes/debian";

    [Fact]
    public void Compacted_cl100k_vocabulary_is_dense_and_round_trips()
    {
        var corpus = TextCorpus.Load(DebianFortunes);
        var tokenizer = CompactTiktokenTokenizer.Build(corpus.Text);
        int[] ids = tokenizer.Encode(corpus.Text);

        Assert.InRange(tokenizer.VocabSize, 100, 100_000);
        // Dense: every id in 0..V-1 occurs, nothing outside.
        Assert.Equal(Enumerable.Range(0, tokenizer.VocabSize), ids.Distinct().Order());
        Assert.Equal(corpus.Text, tokenizer.Decode(ids));
        // The compaction keeps the original order, so it is a monotone map into cl100k ids.
        var originals = Enumerable.Range(0, tokenizer.VocabSize).Select(tokenizer.OriginalId).ToArray();
        Assert.Equal(originals.Order(), originals);
        Assert.True(originals[^1] >= tokenizer.VocabSize);

        string unseen = "Zyzzyva quagga 東京";
        Assert.Contains("does not occur in the corpus", Assert.Throws<ArgumentException>(() => tokenizer.Encode(unseen)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([tokenizer.VocabSize]));
    }

    [Fact]
    public void O200k_compaction_round_trips_too()
    {
        const string text = "Debian: the universal operating system. Ünïcödé ✓";
        var tokenizer = CompactTiktokenTokenizer.Build(text, "o200k_base");
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        Assert.Throws<ArgumentException>(() => CompactTiktokenTokenizer.Build(text, "gpt2"));
    }

    [Fact]
    public void Character_vocabulary_is_one_id_per_code_point()
    {
        const string text = "abca 🙂!";
        var tokenizer = new CharacterTokenizer(text);
        Assert.Equal(6, tokenizer.VocabSize); // ' ', '!', 'a', 'b', 'c', 🙂
        int[] ids = tokenizer.Encode(text);
        Assert.Equal(7, ids.Length);
        Assert.Equal(text, tokenizer.Decode(ids));
        Assert.Contains("'z'", Assert.Throws<ArgumentException>(() => tokenizer.Encode("z")).Message);
    }

    [Fact]
    public void Tokenized_corpus_splits_contiguously()
    {
        var corpus = TextCorpus.FromText(string.Concat(Enumerable.Repeat("hello world\n%\n", 50)));
        var split = TokenizedCorpus.Create(corpus, TokenizerKind.Character, validationFraction: 0.2);
        int[] all = split.Tokenizer.Encode(corpus.Text);
        Assert.Equal(all, split.Train.Concat(split.Validation));
        Assert.Equal((int)Math.Round(all.Length * 0.2), split.Validation.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenizedCorpus.Create(corpus, TokenizerKind.Character, 1.0));
    }
}
