using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace TrainKit.Training.Runtime;

/// <summary>
/// The run's libtorch execution settings, applied for the duration of a run and restored on dispose, so a program that
/// runs a Trainer keeps the process settings it had before:
/// <list type="bullet">
/// <item><c>threads</c>: intra-op threads (<c>torch.set_num_threads</c>), instead of OMP_NUM_THREADS;</item>
/// <item><c>determinism</c>: deterministic algorithms and deterministic cuDNN on, cuDNN benchmark off, and
/// CUBLAS_WORKSPACE_CONFIG=:4096:8 when unset (ops without a deterministic implementation then throw);</item>
/// <item>otherwise, on CUDA, cuDNN benchmark on (PyTorch's advice for fixed input shapes, as every TrainKit task has).</item>
/// </list>
/// </summary>
public sealed class ExecutionSettings : IDisposable
{
    readonly int _threads;
    readonly (bool Algorithms, bool CuDnn, bool Benchmark)? _flags;

    ExecutionSettings(int threads, (bool, bool, bool)? flags)
    {
        _threads = threads;
        _flags = flags;
    }

    /// <summary>Applies <paramref name="threads"/> (null: leave libtorch's) and the determinism flags; on CPU without
    /// determinism nothing but the threads is touched.</summary>
    public static ExecutionSettings Apply(int? threads, bool determinism, bool cuda)
    {
        bool touchFlags = determinism || cuda;
        var previous = new ExecutionSettings(get_num_threads(),
            touchFlags ? (LibTorchContext.DeterministicAlgorithms, LibTorchContext.DeterministicCuDnn, LibTorchContext.BenchmarkCuDnn) : null);
        if (threads is int n) set_num_threads(n);
        if (!touchFlags) return previous;
        if (determinism && OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("CUBLAS_WORKSPACE_CONFIG") is null)
            // cuBLAS is deterministic only with a fixed workspace, and libtorch refuses deterministic CUDA matmuls
            // without it. It must be in the native environment (getenv), which .NET's SetEnvironmentVariable does not
            // reach on Unix, before the first cuBLAS handle; a value the user chose is kept.
            setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", 0);
        LibTorchContext.DeterministicAlgorithms = determinism;
        LibTorchContext.DeterministicCuDnn = determinism;
        LibTorchContext.BenchmarkCuDnn = !determinism;
        return previous;
    }

    public void Dispose()
    {
        if (get_num_threads() != _threads) set_num_threads(_threads);
        if (_flags is var (algorithms, cudnn, benchmark))
        {
            LibTorchContext.DeterministicAlgorithms = algorithms;
            LibTorchContext.DeterministicCuDnn = cudnn;
            LibTorchContext.BenchmarkCuDnn = benchmark;
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    static extern int setenv(string name, string value, int overwrite);
}
