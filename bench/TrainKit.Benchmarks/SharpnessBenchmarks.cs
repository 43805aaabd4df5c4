using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Benchmarks;

/// <summary>BenchmarkDotNet timings of the analysis building blocks on the tiny trained CNN (512 analysis examples):
/// <c>dotnet run -c Release --project bench/TrainKit.Benchmarks -- --filter '*Sharpness*'</c>.
/// For per-estimator values and HVP counts use the console mode (<see cref="SharpnessReport"/>).</summary>
[Config(typeof(InProcessConfig))]
public class SharpnessBenchmarks
{
    /// <summary>In-process: BenchmarkDotNet's generated child project lacks the TorchSharp-cpu backend and the
    /// libLibTorchSharp patch (TorchSharp refuses to start there); this host process has both.</summary>
    sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() =>
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(1).WithIterationCount(5));
    }

    ModelHessian _hessian = null!;
    Tensor _v = null!;

    [GlobalSetup]
    public void Setup()
    {
        var bench = new SharpnessBenchModel(analysisExamples: 512);
        _hessian = new ModelHessian(bench.Model, SharpnessBenchModel.CrossEntropy, bench.Batches);
        using var generator = new Generator(0);
        _v = FlatVectors.Normalized(FlatVectors.Gaussian(_hessian.Dimension, generator));
    }

    [Benchmark(Baseline = true)]
    public double Gradient()
    {
        using var scope = NewDisposeScope();
        return _hessian.LossAndGradient().Loss;
    }

    [Benchmark]
    public double HessianVectorProduct()
    {
        using var scope = NewDisposeScope();
        return _hessian.Multiply(_v).norm().item<double>();
    }

    [Benchmark]
    public double LambdaMaxLanczos()
    {
        using var scope = NewDisposeScope();
        return LanczosEigenSolver.Run(_hessian, new LanczosOptions(MaxSteps: 30, Tolerance: 1e-3)).LambdaMax;
    }

    [Benchmark]
    public double LambdaMaxPowerIteration()
    {
        using var scope = NewDisposeScope();
        return PowerIteration.Run(_hessian).LambdaMax;
    }
}
