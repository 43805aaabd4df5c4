using TrainKit.Analysis;
using TrainKit.Training.Data;
using static TorchSharp.torch;

namespace TrainKit.Benchmarks;

/// <summary>The benchmark subject: a tiny Conv-BN-SiLU CNN (9k parameters) trained for a few hundred SGD steps on the
/// embedded Fashion-MNIST subset, and a fixed analysis set of its first training examples.</summary>
public sealed class SharpnessBenchModel
{
    public nn.Module<Tensor, Tensor> Model { get; }
    public IReadOnlyList<AnalysisBatch> Batches { get; }
    public double TrainSeconds { get; }
    public static readonly AnalysisLoss CrossEntropy = (output, target) => nn.functional.cross_entropy(output, target);

    public SharpnessBenchModel(int trainSteps = 300, int analysisExamples = 2048, int batchSize = 256)
    {
        string folder = EmbeddedFashionMnist.Locate();
        var images = IdxFile.Read(Path.Combine(folder, "train-images-idx3-ubyte.gz"));
        var x = tensor(images.Data, ScalarType.Byte).reshape(images.Count, 1, 28, 28).to(ScalarType.Float32).div_(255f);
        var y = tensor(IdxFile.Read(Path.Combine(folder, "train-labels-idx1-ubyte.gz")).Data, ScalarType.Byte).to(ScalarType.Int64);
        random.manual_seed(0);
        Model = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding: 1), nn.BatchNorm2d(8), nn.SiLU(), nn.AvgPool2d(2),
            nn.Conv2d(8, 16, 3, padding: 1), nn.BatchNorm2d(16), nn.SiLU(), nn.AvgPool2d(2),
            nn.Flatten(), nn.Linear(16 * 7 * 7, 10));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var optimizer = optim.SGD(Model.parameters(), 0.05, momentum: 0.9);
        using var generator = new Generator(1);
        Model.train();
        for (int step = 0; step < trainSteps; step++)
        {
            using var scope = NewDisposeScope();
            var index = randint(x.shape[0], new long[] { 64 }, ScalarType.Int64, generator: generator);
            optimizer.zero_grad();
            nn.functional.cross_entropy(Model.call(x.index(index)), y.index(index)).backward();
            optimizer.step();
        }
        Model.eval();
        TrainSeconds = clock.Elapsed.TotalSeconds;
        Batches = AnalysisBatches.FirstExamples(x, y, analysisExamples, batchSize);
    }
}
