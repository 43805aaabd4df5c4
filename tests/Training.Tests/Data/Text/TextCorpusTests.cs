using TrainKit.Training.Data.Text;

namespace TrainKit.Training.Tests.Data.Text;

public class TextCorpusTests : TempFolderTest
{
    [Fact]
    public void Fortune_files_split_on_percent_lines_and_skip_indexes_links_and_hidden_files()
    {
        string folder = TempFolder("trainkit-text-");
        File.WriteAllText(Path.Combine(folder, "b"), "second file\n%\n");
        File.WriteAllText(Path.Combine(folder, "a"), "Joke one.\n%\nJoke two,\n  two lines.\n%\n   \n%\nJoke three (no final %)\n");
        File.WriteAllBytes(Path.Combine(folder, "a.dat"), [0, 0, 0, 2, 0xFF, 0xFE]);
        File.CreateSymbolicLink(Path.Combine(folder, "a.u8"), "a");
        File.WriteAllText(Path.Combine(folder, ".hidden"), "not corpus");

        var corpus = TextCorpus.Load(folder);

        Assert.Equal(new[] { "a", "b" }, corpus.Files.Select(Path.GetFileName));
        Assert.Equal(new[] { "Joke one.", "Joke two,\n  two lines.", "Joke three (no final %)", "second file" }, corpus.Documents);
        Assert.Equal("Joke one.\n\nJoke two,\n  two lines.\n\nJoke three (no final %)\n\nsecond file", corpus.Text);
        Assert.Single(TextCorpus.Load(Path.Combine(folder, "a"), splitOnPercentLines: false).Documents);
    }

    [Fact]
    public void Reads_the_debian_fortunes()
    {
        var corpus = TextCorpus.LoadFortunes();
        var expectedFiles = Directory.EnumerateFiles(TextCorpus.DebianFortunesFolder)
            .Where(f => !f.EndsWith(".dat") && new FileInfo(f).LinkTarget is null).Order(StringComparer.Ordinal);
        Assert.Equal(expectedFiles, corpus.Files);
        Assert.DoesNotContain(corpus.Files, f => f.EndsWith(".u8") || f.EndsWith(".dat"));
        Assert.True(corpus.Documents.Count > 10_000, $"{corpus.Documents.Count} fortunes");
        Assert.DoesNotContain(corpus.Documents, d => d.Split('\n').Contains("%"));
        Assert.True(corpus.Text.Length > 1_000_000);
    }

    [Fact]
    public void Empty_missing_and_non_utf8_corpora_are_rejected_naming_the_path()
    {
        string empty = TempFolder("trainkit-text-");
        Assert.Contains(empty, Assert.Throws<InvalidDataException>(() => TextCorpus.Load(empty)).Message);

        string blank = Path.Combine(empty, "blank.txt");
        File.WriteAllText(blank, "  \n%\n\n%\n");
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => TextCorpus.Load(blank)).Message);

        string latin1 = Path.Combine(empty, "latin1.txt");
        File.WriteAllBytes(latin1, [0x63, 0x61, 0x66, 0xE9, 0x0A]); // "café" in ISO-8859-1
        var ex = Assert.Throws<InvalidDataException>(() => TextCorpus.Load(latin1));
        Assert.Contains(latin1, ex.Message);
        Assert.Contains("UTF-8", ex.Message);

        Assert.Throws<FileNotFoundException>(() => TextCorpus.Load(Path.Combine(empty, "nope")));
    }
}
