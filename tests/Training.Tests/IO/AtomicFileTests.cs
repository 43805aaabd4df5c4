using TrainKit.IO;
using TrainKit.Training.Tests.Data;

namespace TrainKit.Training.Tests.IO;

public class AtomicFileTests : TempFolderTest
{
    [Fact]
    public void A_device_or_fifo_is_never_replaced_by_the_rename()
    {
        // As root, a rename over /dev/zero replaced the device with a regular file; use a FIFO of our own here.
        string fifo = Path.Combine(TempFolder(), "pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        var ex = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(fifo, "x"));
        Assert.Contains("FIFO", ex.Message);
        Assert.Equal(FileTypes.Fifo, FileTypes.Of(fifo));
        Assert.Contains("character device", Assert.Throws<IOException>(() => AtomicFile.WriteAllText("/dev/null", "x")).Message);
        Assert.Equal(FileTypes.CharDevice, FileTypes.Of("/dev/null"));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(fifo)!, "*.tmp"));
    }

    [Fact]
    public void A_folder_is_refused_and_regular_files_and_links_to_them_are_replaced()
    {
        string folder = TempFolder();
        Assert.Contains("is a folder", Assert.Throws<IOException>(() => AtomicFile.WriteAllText(folder, "x")).Message);
        string file = Path.Combine(folder, "a.txt");
        AtomicFile.WriteAllText(file, "one");
        AtomicFile.WriteAllText(file, "two");
        Assert.Equal("two", File.ReadAllText(file));
        Assert.Equal(FileTypes.Regular, FileTypes.Of(file));
        string link = Path.Combine(folder, "link.txt");
        File.CreateSymbolicLink(link, file);
        AtomicFile.WriteAllText(link, "three");
        Assert.Equal("three", File.ReadAllText(link));
        Assert.Null(FileTypes.Of(Path.Combine(folder, "missing")));
    }
}
