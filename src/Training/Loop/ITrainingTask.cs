using static TorchSharp.torch;

namespace TrainKit.Training.Loop;

/// <summary>What the trainer trains: a model, its data and its loss. Batches are a pure function of the
/// step (and the run's seed), so a resumed run sees exactly the batches an uninterrupted one would.</summary>
public interface ITrainingTask : IDisposable
{
    nn.Module<Tensor, Tensor> Model { get; }
    long StepsPerEpoch { get; }
    /// <summary>The training batch for optimizer step <paramref name="step"/> (0-based), on the model's device.</summary>
    (Tensor Input, Tensor Target) TrainBatch(long step);
    Tensor Loss(Tensor output, Tensor target);
    /// <summary>Loss and accuracy (or perplexity) on <c>train</c> or <c>test</c>, in eval mode, without grad.</summary>
    EvalResult Evaluate(string split);
    /// <summary>The first <paramref name="examples"/> training examples, without augmentation: the fixed set
    /// the sharpness analysis differentiates through.</summary>
    (Tensor Input, Tensor Target) AnalysisSubset(int examples);
}

/// <summary>One evaluation. Accuracy for classifiers; perplexity (exp of the loss) for language models.</summary>
public sealed record EvalResult(double Loss, double? Accuracy = null)
{
    public double? Perplexity { get; init; }
}
