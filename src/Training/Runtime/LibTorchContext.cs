using System.Runtime.InteropServices;

namespace TrainKit.Training.Runtime;

/// <summary>
/// libtorch's global flags that TorchSharp 0.107 does not bind (its <c>use_deterministic_algorithms</c> is marked
/// "not implemented"): <c>at::globalContext()</c>'s deterministic-algorithms, cuDNN-deterministic and cuDNN-benchmark
/// switches, called through their exported C++ symbols (Itanium ABI on Linux x64: a member function takes the object
/// as its first argument; <c>bool</c> is one byte). libtorch_cpu is already loaded by TorchSharp, so this binds to the
/// same library and context. Where a symbol is missing (another platform or libtorch build) the call is a clear
/// <see cref="PlatformNotSupportedException"/>, never a crash.
/// </summary>
public static class LibTorchContext
{
    const string Library = "libtorch_cpu";

    public static bool DeterministicAlgorithms
    {
        get => Call(() => deterministicAlgorithms(globalContext()));
        set => Call(() => { setDeterministicAlgorithms(globalContext(), value, false); return 0; });
    }

    public static bool DeterministicCuDnn
    {
        get => Call(() => deterministicCuDNN(globalContext()));
        set => Call(() => { setDeterministicCuDNN(globalContext(), value); return 0; });
    }

    public static bool BenchmarkCuDnn
    {
        get => Call(() => benchmarkCuDNN(globalContext()));
        set => Call(() => { setBenchmarkCuDNN(globalContext(), value); return 0; });
    }

    static T Call<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            throw new PlatformNotSupportedException(
                $"determinism needs libtorch's at::Context switches, which this libtorch build does not export ({ex.Message}); run without determinism", ex);
        }
    }

    [DllImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    static extern IntPtr globalContext();

    [DllImport(Library, EntryPoint = "_ZN2at7Context26setDeterministicAlgorithmsEbb")]
    static extern void setDeterministicAlgorithms(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool value, [MarshalAs(UnmanagedType.U1)] bool warnOnly);

    [DllImport(Library, EntryPoint = "_ZNK2at7Context23deterministicAlgorithmsEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    static extern bool deterministicAlgorithms(IntPtr context);

    [DllImport(Library, EntryPoint = "_ZN2at7Context21setDeterministicCuDNNEb")]
    static extern void setDeterministicCuDNN(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool value);

    [DllImport(Library, EntryPoint = "_ZNK2at7Context18deterministicCuDNNEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    static extern bool deterministicCuDNN(IntPtr context);

    [DllImport(Library, EntryPoint = "_ZN2at7Context17setBenchmarkCuDNNEb")]
    static extern void setBenchmarkCuDNN(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool value);

    [DllImport(Library, EntryPoint = "_ZNK2at7Context14benchmarkCuDNNEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    static extern bool benchmarkCuDNN(IntPtr context);
}
