using TorchSharp;
using TrainKit.Models;
using TrainKit.Training.Config;
using TrainKit.Training.Data;
using TrainKit.Training.Loop;
using static TorchSharp.torch;

namespace TrainKit.Training.Tasks;

/// <summary>
/// Full-batch gradient descent on a fixed subset with the squared loss ½‖f(x) − onehot(y)‖² (Cohen et al.
/// 2021's edge-of-stability setting). Every step sees the same batch: the whole subset (data.subset images,
/// unaugmented); batch_size is not used.
/// </summary>
public sealed class FullBatchMseTask : ITrainingTask
{
    readonly Tensor _x, _y, _testX, _testY;
    readonly int _classes;

    public FullBatchMseTask(RunConfig config, Device device)
    {
        ImageModelConfig model = ImageClassificationTask.ImageModel(config);
        string dataset = ImageClassificationTask.DatasetName(config);
        var options = new DataLocatorOptions { ExplicitPath = config.Data.Path };
        using var train = ImageDatasets.Load(dataset, DatasetSplit.Train, options);
        using var test = ImageDatasets.Load(dataset, DatasetSplit.Test, options);
        if (config.Data.Subset > train.Count)
            throw new ArgumentException($"data.subset {config.Data.Subset} is more than the {train.Count} training images of {train.Name}");
        int count = config.Data.Subset > 0 ? Math.Min(config.Data.Subset, train.Count) : train.Count;
        int testCount = config.Data.EvalExamples > 0 ? Math.Min(config.Data.EvalExamples, test.Count) : test.Count;
        _classes = train.NumClasses;
        using var normalizer = new BatchAugmenter(train.Stats, AugmentationOptions.None, config.Seed);
        _x = normalizer.Normalize(train.Images.narrow(0, 0, count)).to(device).DetachFromDisposeScope();
        _y = train.Labels.narrow(0, 0, count).to(device).DetachFromDisposeScope();
        _testX = normalizer.Normalize(test.Images.narrow(0, 0, testCount)).to(device).DetachFromDisposeScope();
        _testY = test.Labels.narrow(0, 0, testCount).to(device).DetachFromDisposeScope();
        Model = ImageClassificationTask.CreateModel(model, train, config.Seed);
        Model.to(device);
    }

    public nn.Module<Tensor, Tensor> Model { get; }
    public long StepsPerEpoch => 1;

    public (Tensor Input, Tensor Target) TrainBatch(long step) => (_x.alias(), _y.alias());

    public Tensor Loss(Tensor output, Tensor target)
    {
        Tensor onehot = nn.functional.one_hot(target, _classes).to(output.dtype);
        return 0.5 * (output - onehot).pow(2).sum(1).mean();
    }

    public EvalResult Evaluate(string split)
    {
        var (x, y) = split == "train" ? (_x, _y) : (_testX, _testY);
        Model.eval();
        Tensor output = Model.call(x);
        double accuracy = output.argmax(1).eq(y).to(ScalarType.Float32).mean().item<float>();
        return new EvalResult(Loss(output, y).item<float>(), accuracy);
    }

    public (Tensor Input, Tensor Target) AnalysisSubset(int examples)
    {
        long count = Math.Min(examples, _x.shape[0]);
        return (_x.narrow(0, 0, count).clone(), _y.narrow(0, 0, count).clone());
    }

    public void Dispose()
    {
        Model.Dispose();
        _x.Dispose(); _y.Dispose(); _testX.Dispose(); _testY.Dispose();
    }
}
