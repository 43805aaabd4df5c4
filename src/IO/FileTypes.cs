using System.Runtime.InteropServices;

namespace TrainKit.IO;

/// <summary>
/// The type of a file system entry (regular file, folder, device, FIFO, socket) on Linux, which .NET does not expose:
/// <c>File.Exists</c> is true for devices and FIFOs alike. Read with <c>statx(2)</c>, whose buffer layout is the same on
/// every architecture (unlike <c>struct stat</c>), following symbolic links to what they name.
/// </summary>
public static class FileTypes
{
    public const int Fifo = 0x1000, CharDevice = 0x2000, Directory = 0x4000, BlockDevice = 0x6000, Regular = 0x8000, Link = 0xA000, Socket = 0xC000;

    /// <summary>The S_IFMT bits of what <paramref name="path"/> names (links followed), or null when nothing is there
    /// (or the call is unavailable: not Linux, an old kernel).</summary>
    public static int? Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = new byte[256];
        try
        {
            if (statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return null;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
        return BitConverter.ToUInt16(buffer, StxModeOffset) & 0xF000;
    }

    public static string Describe(int type) => type switch
    {
        Fifo => "FIFO",
        CharDevice => "character device",
        BlockDevice => "block device",
        Socket => "socket",
        Directory => "folder",
        Regular => "regular file",
        _ => $"special file (type 0x{type:x})",
    };

    const int AtFdCwd = -100;
    const uint StatxType = 0x1;
    // struct statx: stx_mask u32, stx_blksize u32, stx_attributes u64, stx_nlink u32, stx_uid u32, stx_gid u32, stx_mode u16.
    const int StxModeOffset = 28;

    [DllImport("libc", SetLastError = true)]
    static extern int statx(int dirfd, string pathname, int flags, uint mask, byte[] statxbuf);
}
