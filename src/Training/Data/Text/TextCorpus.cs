using System.Text;
using TrainKit.IO;

namespace TrainKit.Training.Data.Text;

/// <summary>A text corpus: the documents of one UTF-8 file or of every file in a folder. By default a
/// line holding only "%" separates documents — the fortune(6) format of the default corpus, Debian's
/// <c>fortunes</c> package — and is dropped; other text rarely has such lines.</summary>
public sealed class TextCorpus
{
    public const string DebianFortunesFolder = "/usr/share/games/fortunes";

    /// <summary>Placed between documents in <see cref="Text"/>.</summary>
    public const string DocumentSeparator = "\n\n";

    /// <summary>Largest corpus read (all files together): 512 MiB of UTF-8, which becomes about 3 GiB of strings and
    /// tokens in memory; the small GPT trains on far less (fortunes: 7 MB).</summary>
    public const long MaxBytes = 512L << 20;

    public IReadOnlyList<string> Documents { get; }
    public IReadOnlyList<string> Files { get; }
    public string Source { get; }

    /// <summary>All documents joined by <see cref="DocumentSeparator"/>, in file then document order.</summary>
    public string Text { get; }

    TextCorpus(IReadOnlyList<string> documents, IReadOnlyList<string> files, string source)
    {
        Documents = documents;
        Files = files;
        Source = source;
        Text = string.Join(DocumentSeparator, documents);
    }

    /// <summary>Debian's fortunes (installed by <c>apt-get install fortunes</c>).</summary>
    public static TextCorpus LoadFortunes(string folder = DebianFortunesFolder) => Load(folder);

    /// <summary>Reads a file, or every regular file under a folder (sorted by path, so the corpus is the
    /// same on every machine). In folders it skips strfile's binary <c>.dat</c> indexes, symbolic links
    /// (Debian's <c>.u8</c> names are links to the same files: reading them would double the corpus)
    /// and hidden files.</summary>
    /// <param name="splitOnPercentLines">Treat "%" lines as document separators.</param>
    public static TextCorpus Load(string path, bool splitOnPercentLines = true)
    {
        IReadOnlyList<string> files;
        if (File.Exists(path))
            files = [path];
        else if (Directory.Exists(path))
            files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(IsCorpusFile)
                .Order(StringComparer.Ordinal)
                .ToList();
        else
            throw new FileNotFoundException($"text corpus not found: {path}", path);

        long total = 0;
        foreach (string file in files)
            if ((total += InputFile.RequireRegular(file, "text corpus", MaxBytes).Length) > MaxBytes)
                throw new InvalidDataException(FormattableString.Invariant($"text corpus {path}: its {files.Count} files hold more than the {MaxBytes:N0}-byte limit"));
        var documents = new List<string>();
        foreach (string file in files)
            documents.AddRange(SplitDocuments(ReadUtf8(file), splitOnPercentLines));
        if (documents.Count == 0)
            throw new InvalidDataException(files.Count == 0
                ? $"{path}: the folder holds no text files"
                : $"{path}: the corpus is empty (no non-blank text in {files.Count} file(s))");
        return new TextCorpus(documents, files, path);
    }

    /// <summary>A corpus from text already in memory (tests, generated data).</summary>
    public static TextCorpus FromText(string text, string source = "memory", bool splitOnPercentLines = true)
    {
        var documents = SplitDocuments(text, splitOnPercentLines).ToList();
        if (documents.Count == 0) throw new InvalidDataException($"{source}: the corpus is empty");
        return new TextCorpus(documents, [], source);
    }

    static bool IsCorpusFile(string file)
    {
        var info = new FileInfo(file);
        // Size 0: empty, or a FIFO or device (which would block or never end); neither holds text.
        return info.LinkTarget is null
            && info.Length > 0
            && !info.Name.StartsWith('.')
            && !info.Name.EndsWith(".dat", StringComparison.Ordinal);
    }

    static string ReadUtf8(string file)
    {
        try
        {
            return File.ReadAllText(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"{file}: not valid UTF-8 ({ex.Message})", ex);
        }
    }

    /// <summary>Documents of one file: blank-only ones dropped, line endings normalised to \n,
    /// trailing newlines trimmed (the separator adds them back uniformly).</summary>
    static IEnumerable<string> SplitDocuments(string text, bool splitOnPercentLines)
    {
        text = text.Replace("\r\n", "\n");
        if (!splitOnPercentLines)
        {
            if (!string.IsNullOrWhiteSpace(text)) yield return text.TrimEnd('\n');
            yield break;
        }
        var current = new StringBuilder();
        foreach (string line in text.Split('\n'))
        {
            if (line == "%")
            {
                if (!string.IsNullOrWhiteSpace(current.ToString())) yield return current.ToString().TrimEnd('\n');
                current.Clear();
            }
            else
                current.Append(line).Append('\n');
        }
        if (!string.IsNullOrWhiteSpace(current.ToString())) yield return current.ToString().TrimEnd('\n');
    }
}
