// Marks one symbol-version need of an ELF64 little-endian shared object as weak (VER_FLG_WEAK).
//
// Why: TorchSharp 0.107's libLibTorchSharp.so was linked by GCC 13 and needs GLIBCXX_3.4.32 only for
// `_ZSt21ios_base_library_initv`, a link-time marker that nothing calls. Debian 12 ships 3.4.30, so the
// loader refuses the library. glibc treats a missing *weak* version need as non-fatal, so setting the
// flag in the copy in the build output makes the library load. Wired into every build by build/WeakGlibcxxVersionNeed.targets.
//
// This file is compiled twice: by MSBuild's RoslynCodeTaskFactory (netstandard2.0 reference assemblies,
// so it sticks to APIs available there) and by tests/Build.Tests, which call ElfVersionNeed directly.
#nullable disable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;

namespace TrainKit.Build
{
    public enum VersionNeedPatchResult
    {
        /// <summary>The flag was set and the file rewritten.</summary>
        Patched,
        /// <summary>The entry was already weak; the file was not touched.</summary>
        AlreadyWeak,
        /// <summary>The file does not need that version; not touched.</summary>
        NotReferenced,
        /// <summary>Not an ELF64 little-endian file (another platform's library); not touched.</summary>
        NotApplicable,
    }

    public sealed class VersionNeedEntry
    {
        public VersionNeedEntry(string library, string name, ushort flags, long flagsOffset)
        {
            Library = library; Name = name; Flags = flags; FlagsOffset = flagsOffset;
        }
        public string Library { get; }
        public string Name { get; }
        public ushort Flags { get; }
        /// <summary>File offset of the entry's vna_flags field.</summary>
        public long FlagsOffset { get; }
        public bool IsWeak { get { return (Flags & ElfVersionNeed.VerFlagWeak) != 0; } }
    }

    public static class ElfVersionNeed
    {
        public const ushort VerFlagWeak = 0x2;
        const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Lists every (library, version) need of the file, or null if it is not ELF64 LE.</summary>
        public static List<VersionNeedEntry> Read(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                return null;
            if (elf[4] != 2 /* ELFCLASS64 */ || elf[5] != 1 /* ELFDATA2LSB */)
                return null;

            long shoff = CheckedOffset(U64(elf, 0x28), elf, "e_shoff");
            int shentsize = U16(elf, 0x3A);
            int shnum = U16(elf, 0x3C);
            if (shentsize < 64)
                throw new InvalidDataException("ELF section header size " + shentsize + " is smaller than 64 bytes");

            var entries = new List<VersionNeedEntry>();
            for (int i = 0; i < shnum; i++)
            {
                long sh = CheckedOffset(shoff + (long)i * shentsize, elf, "section header " + i);
                if (sh + 64 > elf.Length) throw new InvalidDataException("ELF section header " + i + " is truncated");
                if (U32(elf, sh + 4) != ShtGnuVerneed) continue;

                long secOffset = CheckedOffset(U64(elf, sh + 24), elf, ".gnu.version_r offset");
                uint link = U32(elf, sh + 40);
                uint count = U32(elf, sh + 44);
                if (link >= shnum) throw new InvalidDataException(".gnu.version_r links to missing section " + link);
                long strSh = shoff + (long)link * shentsize;
                long strOffset = CheckedOffset(U64(elf, strSh + 24), elf, "version string table offset");

                long need = secOffset;
                for (uint n = 0; n < count; n++)
                {
                    CheckedOffset(need + 16, elf, "Elf64_Verneed");
                    int auxCount = U16(elf, need + 2);
                    string library = CString(elf, strOffset + U32(elf, need + 4));
                    long aux = need + U32(elf, need + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        CheckedOffset(aux + 16, elf, "Elf64_Vernaux");
                        ushort flags = U16(elf, aux + 4);
                        string name = CString(elf, strOffset + U32(elf, aux + 8));
                        entries.Add(new VersionNeedEntry(library, name, flags, aux + 4));
                        uint nextAux = U32(elf, aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = U32(elf, need + 12);
                    if (next == 0) break;
                    need += next;
                }
            }
            return entries;
        }

        /// <summary>Sets VER_FLG_WEAK on every need of <paramref name="versionName"/> in the file at
        /// <paramref name="path"/>. The file is replaced, never written in place, so a hard link to a
        /// package cache is never modified.</summary>
        public static VersionNeedPatchResult MarkWeak(string path, string versionName)
        {
            byte[] elf = File.ReadAllBytes(path);
            VersionNeedPatchResult result = MarkWeak(elf, versionName);
            if (result == VersionNeedPatchResult.Patched)
            {
                string temp = path + ".trainkit-patch.tmp";
                File.WriteAllBytes(temp, elf);
                File.Delete(path);
                File.Move(temp, path);
            }
            return result;
        }

        /// <summary>The same, on bytes in memory.</summary>
        public static VersionNeedPatchResult MarkWeak(byte[] elf, string versionName)
        {
            List<VersionNeedEntry> entries = Read(elf);
            if (entries == null) return VersionNeedPatchResult.NotApplicable;
            bool found = false, changed = false;
            foreach (VersionNeedEntry e in entries)
            {
                if (e.Name != versionName) continue;
                found = true;
                if (e.IsWeak) continue;
                ushort flags = (ushort)(e.Flags | VerFlagWeak);
                elf[e.FlagsOffset] = (byte)(flags & 0xff);
                elf[e.FlagsOffset + 1] = (byte)(flags >> 8);
                changed = true;
            }
            if (!found) return VersionNeedPatchResult.NotReferenced;
            return changed ? VersionNeedPatchResult.Patched : VersionNeedPatchResult.AlreadyWeak;
        }

        static long CheckedOffset(long offset, byte[] elf, string what)
        {
            if (offset < 0 || offset > elf.Length)
                throw new InvalidDataException("ELF " + what + " points outside the file (" + offset + " of " + elf.Length + " bytes)");
            return offset;
        }

        static ushort U16(byte[] b, long o) { return (ushort)(b[o] | b[o + 1] << 8); }
        static uint U32(byte[] b, long o) { return (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24); }
        static long U64(byte[] b, long o)
        {
            ulong v = U32(b, o) | (ulong)U32(b, o + 4) << 32;
            return v > long.MaxValue ? -1 : (long)v;
        }

        static string CString(byte[] b, long o)
        {
            CheckedOffset(o, b, "string");
            long end = o;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }

    /// <summary>MSBuild task: marks <see cref="VersionName"/> weak in each of <see cref="Files"/>.
    /// Files under <see cref="ProtectedRoot"/> (the NuGet package cache) are refused.</summary>
    public sealed class WeakenElfVersionNeed : Microsoft.Build.Utilities.Task
    {
        [Required] public ITaskItem[] Files { get; set; }
        [Required] public string VersionName { get; set; }
        public string ProtectedRoot { get; set; }

        public override bool Execute()
        {
            string root = string.IsNullOrEmpty(ProtectedRoot) ? null : Path.GetFullPath(ProtectedRoot);
            foreach (ITaskItem item in Files)
            {
                string path = Path.GetFullPath(item.ItemSpec);
                if (root != null && path.StartsWith(root, StringComparison.Ordinal))
                {
                    Log.LogError("Refusing to patch {0}: it lies in the package cache {1}.", path, root);
                    continue;
                }
                try
                {
                    VersionNeedPatchResult result = ElfVersionNeed.MarkWeak(path, VersionName);
                    Log.LogMessage(result == VersionNeedPatchResult.Patched ? MessageImportance.Normal : MessageImportance.Low,
                        "{0}: {1} {2}", path, VersionName, result);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    Log.LogError("Could not mark {0} weak in {1}: {2}", VersionName, path, ex.Message);
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
}
