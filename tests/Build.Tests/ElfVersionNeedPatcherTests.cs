using System.Diagnostics;
using System.Runtime.InteropServices;
using TrainKit.Build;

namespace TrainKit.Build.Tests;

public class ElfVersionNeedPatcherTests
{
    [Fact]
    public void Marks_only_the_named_version_weak_and_is_idempotent()
    {
        byte[] elf = ElfFixture.WithVersionNeeds("GLIBCXX_3.4", "GLIBCXX_3.4.32", "CXXABI_1.3");

        Assert.Equal(VersionNeedPatchResult.Patched, ElfVersionNeed.MarkWeak(elf, "GLIBCXX_3.4.32"));
        var entries = ElfVersionNeed.Read(elf)!;
        Assert.Equal(["GLIBCXX_3.4", "GLIBCXX_3.4.32", "CXXABI_1.3"], entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal("libstdc++.so.6", e.Library));
        Assert.Equal([false, true, false], entries.Select(e => e.IsWeak));

        byte[] once = (byte[])elf.Clone();
        Assert.Equal(VersionNeedPatchResult.AlreadyWeak, ElfVersionNeed.MarkWeak(elf, "GLIBCXX_3.4.32"));
        Assert.Equal(once, elf);
    }

    [Fact]
    public void Leaves_files_without_the_version_or_of_another_format_untouched()
    {
        byte[] elf = ElfFixture.WithVersionNeeds("GLIBCXX_3.4");
        byte[] before = (byte[])elf.Clone();
        Assert.Equal(VersionNeedPatchResult.NotReferenced, ElfVersionNeed.MarkWeak(elf, "GLIBCXX_3.4.32"));
        Assert.Equal(before, elf);

        byte[] portableExecutable = new byte[128];
        portableExecutable[0] = (byte)'M'; portableExecutable[1] = (byte)'Z';
        Assert.Equal(VersionNeedPatchResult.NotApplicable, ElfVersionNeed.MarkWeak(portableExecutable, "GLIBCXX_3.4.32"));

        byte[] elf32 = ElfFixture.WithVersionNeeds("GLIBCXX_3.4.32");
        elf32[4] = 1; // ELFCLASS32
        Assert.Equal(VersionNeedPatchResult.NotApplicable, ElfVersionNeed.MarkWeak(elf32, "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void A_truncated_file_is_a_clear_error_not_a_crash()
    {
        byte[] elf = ElfFixture.WithVersionNeeds("GLIBCXX_3.4.32");
        var ex = Assert.Throws<InvalidDataException>(() => ElfVersionNeed.MarkWeak(elf[..(elf.Length - 100)], "GLIBCXX_3.4.32"));
        Assert.Matches("^ELF .*(truncated|outside the file)", ex.Message);
    }

    [Fact]
    public void Patches_a_real_gcc_built_library_which_still_loads()
    {
        string dir = Directory.CreateTempSubdirectory("trainkit-elf-").FullName;
        string copy = Path.Combine(dir, "libversionneed.so");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "libversionneed.so"), copy);
        string original = Path.Combine(AppContext.BaseDirectory, "Fixtures", "libversionneed.so");
        string originalHash = Hash(original);

        Assert.Equal(VersionNeedPatchResult.Patched, ElfVersionNeed.MarkWeak(copy, "GLIBCXX_3.4.21"));
        Assert.Equal(VersionNeedPatchResult.AlreadyWeak, ElfVersionNeed.MarkWeak(copy, "GLIBCXX_3.4.21"));
        var entries = ElfVersionNeed.Read(File.ReadAllBytes(copy))!;
        Assert.True(entries.Single(e => e.Name == "GLIBCXX_3.4.21").IsWeak);
        Assert.All(entries.Where(e => e.Name != "GLIBCXX_3.4.21"), e => Assert.False(e.IsWeak));
        Assert.Equal(originalHash, Hash(original));

        // binutils agrees with our reader, and glibc still loads and runs the patched library.
        string readelf = Run("readelf", $"-V {copy}");
        Assert.Matches(@"Name: GLIBCXX_3\.4\.21\s+Flags: WEAK", readelf);
        Assert.Matches(@"Name: GLIBCXX_3\.4\s+Flags: none", readelf);
        IntPtr handle = NativeLibrary.Load(copy);
        try
        {
            var length = Marshal.GetDelegateForFunctionPointer<LengthFunction>(NativeLibrary.GetExport(handle, "fixture_length"));
            Assert.Equal(6, length("hello"));
        }
        finally { NativeLibrary.Free(handle); }
    }

    [Fact]
    public void The_build_marked_the_copied_libtorchsharp_weak_and_left_the_package_cache_alone()
    {
        string[] copies = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        Assert.NotEmpty(copies);
        foreach (string copy in copies)
            Assert.True(ElfVersionNeed.Read(File.ReadAllBytes(copy))!.Single(e => e.Name == "GLIBCXX_3.4.32").IsWeak, copy);

        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string cached = Path.Combine(cache, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(cached), $"expected the restored package at {cached}");
        Assert.False(ElfVersionNeed.Read(File.ReadAllBytes(cached))!.Single(e => e.Name == "GLIBCXX_3.4.32").IsWeak);
    }

    [Fact]
    public void A_real_torchsharp_tensor_op_runs()
    {
        using var product = TorchSharp.torch.ones(2, 3).matmul(TorchSharp.torch.ones(3, 4));
        Assert.Equal(24f, product.sum().item<float>());
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate int LengthFunction([MarshalAs(UnmanagedType.LPStr)] string text);

    static string Hash(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true })!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
