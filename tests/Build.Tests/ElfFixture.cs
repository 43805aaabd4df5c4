using System.Buffers.Binary;
using System.Text;

namespace TrainKit.Build.Tests;

/// <summary>Builds a minimal ELF64 little-endian file whose .gnu.version_r section needs
/// libstdc++.so.6 at the given versions: the smallest input the patcher must handle.</summary>
static class ElfFixture
{
    public static byte[] WithVersionNeeds(params string[] versions)
    {
        var strings = new MemoryStream();
        strings.WriteByte(0);
        int libraryName = AddString(strings, "libstdc++.so.6");
        int[] names = versions.Select(v => AddString(strings, v)).ToArray();
        byte[] dynstr = strings.ToArray();

        const int headerSize = 64, verneedSize = 16, vernauxSize = 16;
        int dynstrOffset = headerSize;
        int verneedOffset = Align(dynstrOffset + dynstr.Length, 8);
        int verneedLength = verneedSize + vernauxSize * versions.Length;
        int shoff = Align(verneedOffset + verneedLength, 8);
        var elf = new byte[shoff + 3 * 64];

        // ELF header
        elf[0] = 0x7f; elf[1] = (byte)'E'; elf[2] = (byte)'L'; elf[3] = (byte)'F';
        elf[4] = 2; elf[5] = 1; elf[6] = 1;                        // 64-bit, little-endian, version 1
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x10), 3);   // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x12), 62);  // EM_X86_64
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(0x28), (ulong)shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x34), headerSize);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x3A), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x3C), 3);

        dynstr.CopyTo(elf, dynstrOffset);

        // Elf64_Verneed followed by its Elf64_Vernaux chain
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(verneedOffset), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(verneedOffset + 2), (ushort)versions.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan(verneedOffset + 4), (uint)libraryName);
        BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan(verneedOffset + 8), verneedSize);
        for (int i = 0; i < versions.Length; i++)
        {
            int aux = verneedOffset + verneedSize + i * vernauxSize;
            BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(aux + 6), (ushort)(i + 2));
            BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan(aux + 8), (uint)names[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan(aux + 12), i == versions.Length - 1 ? 0u : vernauxSize);
        }

        // Section headers: [0] null, [1] .dynstr, [2] .gnu.version_r (links to 1, one entry)
        WriteSection(elf, shoff + 64, type: 3, offset: dynstrOffset, size: dynstr.Length, link: 0, info: 0);
        WriteSection(elf, shoff + 128, type: 0x6ffffffe, offset: verneedOffset, size: verneedLength, link: 1, info: 1);
        return elf;
    }

    static void WriteSection(byte[] elf, int at, uint type, int offset, int size, uint link, uint info)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan(at + 4), type);
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(at + 24), (ulong)offset);
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(at + 32), (ulong)size);
        BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan(at + 40), link);
        BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan(at + 44), info);
    }

    static int AddString(MemoryStream table, string text)
    {
        int at = (int)table.Length;
        table.Write(Encoding.ASCII.GetBytes(text));
        table.WriteByte(0);
        return at;
    }

    static int Align(int value, int to) => (value + to - 1) / to * to;
}
