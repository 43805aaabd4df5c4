using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TorchSharp;
using TrainKit.Training.Data;
using static TorchSharp.torch;

namespace TrainKit.Benchmarks;

/// <summary>The training input pipeline for one CIFAR-sized batch: cut 128 images out of the uint8
/// dataset tensor (index_select), then random crop (pad 4) + flip + normalise to float32.
/// Images per second = 128 / mean time. Target on a 2-core CPU: ≥ 20,000 images/s.
///   dotnet run -c Release --project bench/TrainKit.Benchmarks -- --filter '*InputPipeline*'</summary>
[Config(typeof(InProcessConfig))]
[MemoryDiagnoser]
public class InputPipelineBenchmarks
{
    /// <summary>In-process: BenchmarkDotNet's generated child project does not carry the TorchSharp-cpu
    /// backend (TorchSharp then refuses to start) nor the libLibTorchSharp patch this repo applies after
    /// each build, while this host process has both.</summary>
    sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() =>
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10));
    }

    const int DatasetSize = 10_000;

    [Params(128)]
    public int BatchSize { get; set; }

    /// <summary>libtorch intra-op threads. On a small, shared CPU one thread wins: with 2 threads on a
    /// busy 2-core machine the pool's workers spin and fight the other processes for the cores, and a
    /// batch took 5-80 ms instead of ~1-2 ms (measured 2026-11-24, load average 12-17).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    ImageDataset dataset = null!;
    BatchAugmenter augmenter = null!;
    Tensor batchIndex = null!;
    Tensor batchImages = null!;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(Threads);
        var random = new Random(0);
        var pixels = new byte[DatasetSize * 3 * 32 * 32];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, DatasetSize).Select(i => (byte)(i % 10)).ToArray();
        dataset = ImageDataset.FromBytes("cifar10-synthetic", "memory", pixels, labels, 3, 32, 32,
            KnownDatasets.Cifar10.ClassNames, KnownDatasets.Cifar10.Stats);
        augmenter = new BatchAugmenter(dataset.Stats, new AugmentationOptions(Padding: 4, HorizontalFlip: true), seed: 0);
        batchIndex = tensor(SeededPermutation.Create(DatasetSize, 0, 0)[..BatchSize].Select(i => (long)i).ToArray());
        batchImages = dataset.Images.index_select(0, batchIndex);
    }

    /// <summary>index_select + crop + flip + normalise: what the trainer does per step.</summary>
    [Benchmark(Baseline = true)]
    public long SelectAndAugment()
    {
        using var scope = NewDisposeScope();
        Tensor images = dataset.Images.index_select(0, batchIndex);
        return augmenter.Augment(images).shape[0];
    }

    [Benchmark]
    public long AugmentOnly()
    {
        using var scope = NewDisposeScope();
        return augmenter.Augment(batchImages).shape[0];
    }

    [Benchmark]
    public long NormalizeOnly()
    {
        using var scope = NewDisposeScope();
        return augmenter.Normalize(batchImages).shape[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        batchImages.Dispose();
        batchIndex.Dispose();
        augmenter.Dispose();
        dataset.Dispose();
    }
}
