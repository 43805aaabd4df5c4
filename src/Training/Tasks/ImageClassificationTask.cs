using TorchSharp;
using TrainKit.Models;
using TrainKit.Training.Config;
using TrainKit.Training.Data;
using TrainKit.Training.Loop;
using static TorchSharp.torch;

namespace TrainKit.Training.Tasks;

/// <summary>
/// A ResNet classifying images (Fashion-MNIST, MNIST, CIFAR). Each epoch's order is a seeded permutation
/// and each step's augmentation is drawn from a generator seeded by (seed, step): a batch is a pure
/// function of the step, which is what makes resuming exact.
/// </summary>
public sealed class ImageClassificationTask : IClassifierTask
{
    const int EvalBatch = 500;
    readonly ImageDataset _train, _test;
    readonly ImageDataset? _validation;
    readonly BatchIterator _order;
    readonly AugmentationOptions _augmentation;
    readonly BatchAugmenter _normalizer;
    readonly long _seed;
    readonly int _batchSize, _evalExamples;
    readonly double _labelSmoothing;
    (int Epoch, int[] Order)? _cachedOrder;

    public ImageClassificationTask(RunConfig config, Device device, Action<DownloadProgress>? downloadProgress = null)
    {
        ImageModelConfig model = ImageModel(config);
        string dataset = DatasetName(config);
        var options = new DataLocatorOptions { ExplicitPath = config.Data.Path, Progress = downloadProgress };
        _train = TrainingSplit(ImageDatasets.Load(dataset, DatasetSplit.Train, options), config, out _validation).To(device);
        _validation = _validation?.To(device);
        _test = ImageDatasets.Load(dataset, DatasetSplit.Test, options).To(device);
        if (config.BatchSize > _train.Count)
            throw new ArgumentException($"batch_size {config.BatchSize} is larger than the {_train.Count} training images of {_train.Name}");
        _seed = config.Seed;
        _batchSize = config.BatchSize;
        _evalExamples = config.Data.EvalExamples;
        _labelSmoothing = config.LabelSmoothing;
        _order = new BatchIterator(_train, config.BatchSize, config.Seed, shuffle: true, dropLast: true);
        _augmentation = (config.Data.Augment ? AugmentationOptions.DefaultFor(_train.Name) : AugmentationOptions.None)
            with
        { RandomErasing = config.Data.RandomErasing ?? 0 };
        _normalizer = new BatchAugmenter(_train.Stats, AugmentationOptions.None, config.Seed, device);
        Model = CreateModel(model, _train, config.Seed);
        Model.to(device);
    }

    /// <summary>The image classifier <c>model</c> names; a model of another kind (gpt) is refused naming the task and
    /// the model, before any data is read (as the validator refuses it).</summary>
    internal static ImageModelConfig ImageModel(RunConfig config) =>
        config.Model as ImageModelConfig ?? throw new ArgumentException(RunConfigValidator.TaskModelMismatch(config));

    /// <summary>The classifier <paramref name="model"/> describes, sized for <paramref name="images"/>.</summary>
    internal static nn.Module<Tensor, Tensor> CreateModel(ImageModelConfig model, ImageDataset images, long seed) =>
        ModelFactory.Create(new ModelSpec(model.Name, images.Channels, images.Height, images.NumClasses, model.Width, Seed: seed));

    /// <summary>The images the run trains on: the first data.subset images (all when 0), less the validation
    /// fraction, which a seeded permutation holds out (the same images on every resume).</summary>
    static ImageDataset TrainingSplit(ImageDataset loaded, RunConfig config, out ImageDataset? validation)
    {
        validation = null;
        ImageDataset train = loaded;
        if (config.Data.Subset > train.Count)
            throw new ArgumentException($"data.subset {config.Data.Subset} is more than the {train.Count} training images of {train.Name}");
        if (config.Data.Subset > 0 && config.Data.Subset < train.Count)
        {
            train = loaded.Subset([.. Enumerable.Range(0, config.Data.Subset)]);
            loaded.Dispose();
        }
        if (config.Data.ValidationFraction > 0)
        {
            int held = (int)Math.Round(config.Data.ValidationFraction * train.Count);
            if (held < 1 || held >= train.Count)
                throw new ArgumentException($"data.validation_fraction {config.Data.ValidationFraction} holds out {held} of {train.Count} training images; it must leave at least one on each side");
            var (rest, heldOut) = train.SplitValidation(held, config.Seed);
            train.Dispose();
            (train, validation) = (rest, heldOut);
        }
        return train;
    }

    /// <summary>The dataset a config asks for: data.source, except that CIFAR tasks have no embedded subset.
    /// The known datasets are named as data.source spells them.</summary>
    public static string DatasetName(RunConfig config) => (config.Task, config.Data.Source) switch
    {
        (TrainingTaskKind.ResNetCifar10, ImageSource.Embedded) => "cifar10",
        (TrainingTaskKind.ResNetCifar10, ImageSource.Cifar10 or ImageSource.Cifar100) => config.Data.Source.Spelling(),
        (TrainingTaskKind.ResNetCifar10, var other) =>
            throw new ArgumentException($"data.source '{other.Spelling()}' does not fit task resnet-cifar10 (use cifar10 or cifar100)"),
        (_, ImageSource.Embedded) => KnownDatasets.EmbeddedName,
        (_, ImageSource.FashionMnist or ImageSource.Mnist) => config.Data.Source.Spelling(),
        (var task, var other) =>
            throw new ArgumentException($"data.source '{other.Spelling()}' does not fit task {task.Spelling()} (use embedded, fashion-mnist or mnist)"),
    };

    public nn.Module<Tensor, Tensor> Model { get; }
    public long StepsPerEpoch => _order.BatchesPerEpoch;
    public ImageDataset TrainSet => _train;
    public ImageDataset TestSet => _test;

    public (Tensor Input, Tensor Target) TrainBatch(long step)
    {
        int epoch = (int)(step / StepsPerEpoch), index = (int)(step % StepsPerEpoch);
        if (_cachedOrder?.Epoch != epoch) _cachedOrder = (epoch, _order.Order(epoch));
        using Tensor indices = tensor(_cachedOrder.Value.Order.AsSpan(index * _batchSize, _batchSize).ToArray(), ScalarType.Int64, _train.Images.device);
        Tensor images = _train.Images.index(indices);
        using var augmenter = new BatchAugmenter(_train.Stats, _augmentation, StepSeed.For(_seed, step), _train.Images.device);
        return (augmenter.Augment(images), _train.Labels.index(indices));
    }

    public Tensor Loss(Tensor output, Tensor target) => nn.functional.cross_entropy(output, target, label_smoothing: _labelSmoothing);

    public EvalResult Evaluate(string split)
    {
        using var scope = NewDisposeScope();
        var (logits, labels) = Predict(split);
        double loss = nn.functional.cross_entropy(logits, labels).item<float>();
        return new EvalResult(loss, logits.argmax(1).eq(labels).to_type(ScalarType.Float64).mean().item<double>());
    }

    public (Tensor Logits, Tensor Labels) Predict(string split)
    {
        ImageDataset data = split switch
        {
            "train" => _train,
            "test" => _test,
            "validation" => _validation ?? throw new InvalidOperationException("this run holds out no validation images (data.validation_fraction is 0)"),
            _ => throw new ArgumentException($"split must be train, validation or test, got '{split}'"),
        };
        long count = _evalExamples > 0 ? Math.Min(_evalExamples, data.Count) : data.Count;
        Model.eval();
        var batches = new List<Tensor>();
        for (long start = 0; start < count; start += EvalBatch)
        {
            using var scope = NewDisposeScope();
            Tensor images = _normalizer.Normalize(data.Images.narrow(0, start, Math.Min(count, start + EvalBatch) - start));
            batches.Add(Model.call(images).MoveToOuterDisposeScope());
        }
        return (cat(batches, 0), data.Labels.narrow(0, 0, count));
    }

    public (Tensor Input, Tensor Target) AnalysisSubset(int examples)
    {
        long count = Math.Min(examples, _train.Count);
        return (_normalizer.Normalize(_train.Images.narrow(0, 0, count)), _train.Labels.narrow(0, 0, count).clone());
    }

    public void Dispose()
    {
        Model.Dispose();
        _normalizer.Dispose();
        _train.Dispose();
        _validation?.Dispose();
        _test.Dispose();
    }
}
