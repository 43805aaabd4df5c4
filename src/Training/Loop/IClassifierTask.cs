using static TorchSharp.torch;

namespace TrainKit.Training.Loop;

/// <summary>A task whose model outputs class logits, so that the predictions of several models of one run
/// (a snapshot ensemble) can be averaged.</summary>
public interface IClassifierTask : ITrainingTask
{
    /// <summary>Logits and labels of the examples <see cref="ITrainingTask.Evaluate"/> uses for
    /// <c>train</c> or <c>test</c>, in eval mode. Call it inside a dispose scope and under no_grad.</summary>
    (Tensor Logits, Tensor Labels) Predict(string split);
}
