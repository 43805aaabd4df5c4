using TrainKit.Analysis;
using TrainKit.Training.Data;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>A tiny CNN with BatchNorm trained for 200 SGD steps on the embedded Fashion-MNIST subset, once per test
/// run, plus a fixed analysis set of 256 training examples. Tests get fresh copies (<see cref="NewModel"/>) so nothing
/// they do to weights leaks into another test.</summary>
public sealed class TrainedCnnFixture : IDisposable
{
    public const int TrainSteps = 200;
    public const int AnalysisExamples = 256;

    public Tensor TrainX { get; }
    public Tensor TrainY { get; }
    public ModelState Trained { get; }
    public IReadOnlyList<AnalysisBatch> Batches { get; }
    public double TrainSeconds { get; }

    public static readonly AnalysisLoss CrossEntropy = (output, target) => nn.functional.cross_entropy(output, target);

    public TrainedCnnFixture()
    {
        string folder = EmbeddedFashionMnist.Locate();
        TrainX = Images(Path.Combine(folder, "train-images-idx3-ubyte.gz"));
        TrainY = Labels(Path.Combine(folder, "train-labels-idx1-ubyte.gz"));
        random.manual_seed(0);
        var model = CreateArchitecture();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Train(model, TrainSteps, 0.05, seed: 1);
        TrainSeconds = clock.Elapsed.TotalSeconds;
        Trained = ModelState.Capture(model);
        Batches = AnalysisBatches.FirstExamples(TrainX, TrainY, AnalysisExamples, batchSize: 128);
    }

    /// <summary>Conv-BN-SiLU-AvgPool ×2 + Linear (9k parameters). Smooth activations and average pooling on purpose:
    /// the gradient of a ReLU/max-pool net is only piecewise smooth, and finite differences of it pick up the jumps of
    /// units crossing their kinks (their expected contribution does not shrink with h), so they cannot validate an
    /// exact HVP there. The analysis code itself works on any module.</summary>
    public static nn.Module<Tensor, Tensor> CreateArchitecture() => nn.Sequential(
        nn.Conv2d(1, 8, 3, padding: 1), nn.BatchNorm2d(8), nn.SiLU(), nn.AvgPool2d(2),
        nn.Conv2d(8, 16, 3, padding: 1), nn.BatchNorm2d(16), nn.SiLU(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 10));

    /// <summary>A new model holding the trained weights and BatchNorm statistics.</summary>
    public nn.Module<Tensor, Tensor> NewModel()
    {
        var model = CreateArchitecture();
        Trained.LoadInto(model);
        return model;
    }

    /// <summary>The same architecture, freshly initialized (a model whose state differs from both solutions).</summary>
    public nn.Module<Tensor, Tensor> CreateArchitectureWithRandomWeights() => CreateArchitecture();

    public void Train(nn.Module<Tensor, Tensor> model, int steps, double learningRate, long seed)
    {
        using var generator = new Generator((ulong)seed);
        var optimizer = optim.SGD(model.parameters(), learningRate, momentum: 0.9);
        model.train();
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var index = randint(TrainX.shape[0], new long[] { 64 }, ScalarType.Int64, generator: generator);
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(TrainX.index(index)), TrainY.index(index)).backward();
            optimizer.step();
        }
        model.eval();
    }

    static Tensor Images(string path)
    {
        IdxArray idx = IdxFile.Read(path);
        return tensor(idx.Data, ScalarType.Byte).reshape(idx.Count, 1, 28, 28).to(ScalarType.Float32).div_(255f);
    }

    static Tensor Labels(string path) => tensor(IdxFile.Read(path).Data, ScalarType.Byte).to(ScalarType.Int64);

    public void Dispose()
    {
        Trained.Dispose();
        TrainX.Dispose();
        TrainY.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedCnnCollection : ICollectionFixture<TrainedCnnFixture>
{
    public const string Name = "trained-cnn";
}
