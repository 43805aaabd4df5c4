using TorchSharp;
using TrainKit.Models;
using TrainKit.Models.Transformer;
using TrainKit.Training.Config;
using TrainKit.Training.Data.Text;
using TrainKit.Training.Loop;
using static TorchSharp.torch;

namespace TrainKit.Training.Tasks;

/// <summary>
/// A small GPT (Pre-LN or Post-LN) learning a text corpus (default: Debian's fortunes). Training windows
/// are drawn from a generator reseeded by (seed, step), so batches are a pure function of the step;
/// evaluation uses fixed windows of the contiguous validation split and reports perplexity.
/// </summary>
public sealed class LanguageModelTask : ITrainingTask
{
    readonly LanguageModelWindows _train, _validation;
    readonly long _seed;
    readonly int _batchSize, _evalWindows;

    public LanguageModelTask(RunConfig config, Device device)
    {
        GptModelConfig model = config.Model as GptModelConfig ?? throw new ArgumentException(RunConfigValidator.TaskModelMismatch(config));
        TextCorpus corpus = config.Data.Path is string path ? TextCorpus.Load(path) : TextCorpus.LoadFortunes();
        Corpus = TokenizedCorpus.Create(corpus, config.Data.Tokenizer, validationFraction: 0.1);
        int context = model.Context;
        _train = new LanguageModelWindows(Corpus.Train, context, config.Seed, device);
        _validation = new LanguageModelWindows(Corpus.Validation, context, config.Seed, device);
        _seed = config.Seed;
        _batchSize = config.BatchSize;
        _evalWindows = Math.Max(config.BatchSize, config.Data.EvalExamples / Math.Max(1, context) * 8);
        Model = ModelFactory.Create(new TransformerConfig(Corpus.Tokenizer.VocabSize, context, model.Layers, model.Heads,
            model.Embedding, model.Dropout, model.Norm,
            Seed: config.Seed));
        Model.to(device);
    }

    public TokenizedCorpus Corpus { get; }
    public nn.Module<Tensor, Tensor> Model { get; }
    /// <summary>One epoch: as many windows as the training tokens would fill end to end.</summary>
    public long StepsPerEpoch => Math.Max(1, _train.TokenCount / ((long)_batchSize * _train.ContextLength));

    public (Tensor Input, Tensor Target) TrainBatch(long step)
    {
        _train.Reseed(StepSeed.For(_seed, step));
        return _train.Sample(_batchSize);
    }

    public Tensor Loss(Tensor output, Tensor target) =>
        nn.functional.cross_entropy(output.view(-1, output.shape[^1]), target.view(-1));

    public EvalResult Evaluate(string split)
    {
        LanguageModelWindows windows = split == "train" ? _train : _validation;
        Model.eval();
        windows.Reseed(unchecked(_seed * 7919 + 17)); // the same evaluation windows every time
        double lossSum = 0;
        int done = 0;
        while (done < _evalWindows)
        {
            using var scope = NewDisposeScope();
            int batch = Math.Min(_batchSize, _evalWindows - done);
            var (x, y) = windows.Sample(batch);
            lossSum += Loss(Model.call(x), y).item<float>() * batch;
            done += batch;
        }
        double loss = lossSum / done;
        return new EvalResult(loss) { Perplexity = Math.Exp(loss) };
    }

    public (Tensor Input, Tensor Target) AnalysisSubset(int examples)
    {
        _train.Reseed(unchecked(_seed * 7919 + 29)); // fixed windows, the same on every call
        return _train.Sample(Math.Max(1, examples));
    }

    public void Dispose()
    {
        Model.Dispose();
        _train.Dispose();
        _validation.Dispose();
    }
}
