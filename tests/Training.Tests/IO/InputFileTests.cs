using System.Diagnostics;
using System.IO.Compression;
using TrainKit.Training.Data;
using TrainKit.IO;
using TrainKit.Training.Data.Text;

namespace TrainKit.Training.Tests.IO;

public class InputFileTests
{
    static string MakeFifo()
    {
        string folder = Directory.CreateTempSubdirectory("trainkit-fifo-").FullName;
        string fifo = Path.Combine(folder, "train-images-idx3-ubyte");
        using var mkfifo = Process.Start("mkfifo", fifo);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return fifo;
    }

    /// <summary>Runs a read that must not block: a TimeoutException fails the test instead of hanging it.</summary>
    static Task<T> Within20Seconds<T>(Func<T> read) => Task.Run(read).WaitAsync(TimeSpan.FromSeconds(20));

    [Fact]
    public async Task A_fifo_given_as_an_idx_file_or_a_corpus_is_refused_without_blocking()
    {
        string fifo = MakeFifo();
        try
        {
            // Opening a FIFO for reading would block until a writer appears: the check must come first.
            var idx = await Within20Seconds(() => Assert.Throws<InvalidDataException>(() => IdxFile.Read(fifo)));
            Assert.Contains("not a regular file", idx.Message);
            var corpus = await Within20Seconds(() => Assert.Throws<InvalidDataException>(() => TextCorpus.Load(fifo)));
            Assert.Contains(fifo, corpus.Message);
        }
        finally { Directory.Delete(Path.GetDirectoryName(fifo)!, recursive: true); }
    }

    [Fact]
    public async Task Dev_zero_as_a_corpus_is_refused_instead_of_read_forever()
    {
        var ex = await Within20Seconds(() => Assert.Throws<InvalidDataException>(() => TextCorpus.Load("/dev/zero")));
        Assert.Contains("/dev/zero is empty or not a regular file", ex.Message);
    }

    [Fact]
    public async Task Dev_zero_as_a_config_or_experiment_file_is_refused_instead_of_exhausting_memory()
    {
        var config = await Within20Seconds(() => Assert.Throws<InvalidDataException>(() => TrainKit.Training.Config.RunConfigJson.Load("/dev/zero")));
        Assert.Contains("config file /dev/zero is empty or not a regular file", config.Message);
        var experiment = await Within20Seconds(() => Assert.Throws<InvalidDataException>(() => TrainKit.Training.Experiments.Sweep.LoadSpec("/dev/zero")));
        Assert.Contains("experiment file /dev/zero", experiment.Message);
    }

    [Fact]
    public async Task A_folder_corpus_skips_a_fifo_inside_it()
    {
        string fifo = MakeFifo();
        string folder = Path.GetDirectoryName(fifo)!;
        try
        {
            File.WriteAllText(Path.Combine(folder, "text"), "a fortune\n%\nanother\n");
            var corpus = await Within20Seconds(() => TextCorpus.Load(folder));
            Assert.Equal(2, corpus.Documents.Count);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void A_stream_that_decompresses_past_the_bound_is_refused_naming_the_file()
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(new byte[1 << 20]);
        compressed.Position = 0;
        using var inflate = new GZipStream(compressed, CompressionMode.Decompress);
        var ex = Assert.Throws<InvalidDataException>(() => InputFile.ReadBounded(inflate, "bomb.gz", maxBytes: 1000));
        Assert.Contains("bomb.gz: decompresses to more than 1,000 bytes", ex.Message);
    }

    [Fact]
    public void A_file_above_the_limit_is_refused_with_its_size()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, new byte[2000]);
            var ex = Assert.Throws<InvalidDataException>(() => InputFile.RequireRegular(file, "idx file", maxBytes: 1000));
            Assert.Contains("is 2,000 bytes, above the limit of 1,000 bytes", ex.Message);
            Assert.Equal(2000, InputFile.RequireRegular(file, "idx file").Length);
        }
        finally { File.Delete(file); }
    }
}
