using System.Runtime.InteropServices;

namespace TrainKit.Training.Runtime;

/// <summary>
/// Keeps glibc's heap from handing tensor-sized blocks back to the kernel after every free. libtorch's CPU
/// allocator is plain malloc/free, and a training step allocates and frees the same few-megabyte activations
/// over and over. In a .NET process those blocks kept being mapped and unmapped: 20 ResNet-20 steps took 600k
/// page faults (the PyTorch peer 117k) and about a fifth more time than with the settings below (170k faults);
/// see the README's performance section.
/// Fixed thresholds (mmap above 32 MiB, the most mallopt accepts; trim only beyond 1 GiB of free top) keep
/// the blocks in the heap for reuse. Memory still stays flat: the same blocks are reused every step.
/// </summary>
public static class NativeAllocator
{
    const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3;
    const int MmapThreshold = 32 << 20, TrimThreshold = 1 << 30;
    static int _applied;

    /// <summary>Whether the thresholds are in force (false off glibc, e.g. on Windows, macOS or musl).</summary>
    public static bool Tuned { get; private set; }

    /// <summary>How many times <see cref="Tune"/> was called in this process (only the first acts): lets a test show
    /// that a library path does not call it.</summary>
    public static int Calls => Volatile.Read(ref _calls);
    static int _calls;

    /// <summary>The environment variable that turns the tuning off (<c>TRAINKIT_NATIVE_HEAP=default</c>).</summary>
    public const string OptOutVariable = "TRAINKIT_NATIVE_HEAP";

    /// <summary>Sets the thresholds once per process; safe to call from every entry point. An environment that
    /// already sets <c>GLIBC_TUNABLES</c> malloc options wins, and <c>TRAINKIT_NATIVE_HEAP=default</c> opts out.</summary>
    public static void Tune()
    {
        Interlocked.Increment(ref _calls);
        if (Interlocked.Exchange(ref _applied, 1) == 1) return;
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(OptOutVariable) == "default") return;
        if (Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains("glibc.malloc.", StringComparison.Ordinal) == true) return;
        try
        {
            Tuned = mallopt(M_MMAP_THRESHOLD, MmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, TrimThreshold) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            Tuned = false; // not glibc: nothing to tune
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int parameter, int value);
}
