using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Training.Loop;

/// <summary>The analysis suite's in-training probes, as the trainer uses them: λ_max by warm-started Lanczos on
/// a fixed unaugmented subset, and the cosine between successive minibatch gradients (observed every step,
/// reported as the latest value and the mean since the last report).</summary>
sealed class TrainingProbes : IDisposable
{
    readonly SharpnessProbe _sharpness;
    readonly GradientCosineProbe _cosine = new();
    readonly IReadOnlyList<AnalysisBatch> _batches;
    double _cosineSum;
    int _cosineCount;

    public TrainingProbes(ITrainingTask task, int examples, long seed)
    {
        using var scope = NewDisposeScope();
        var (inputs, targets) = task.AnalysisSubset(examples);
        _batches = AnalysisBatches.FirstExamples(inputs, targets, examples, 256);
        foreach (var batch in _batches) { batch.Input.DetachFromDisposeScope(); batch.Target.DetachFromDisposeScope(); }
        _sharpness = new SharpnessProbe(task.Model, (output, target) => task.Loss(output, target), _batches, seed: seed);
    }

    public void ObserveGradient(nn.Module<Tensor, Tensor> model)
    {
        if (_cosine.Observe(model.parameters()) is double cosine) { _cosineSum += cosine; _cosineCount++; }
    }

    public void AddTo(Dictionary<string, double?> row)
    {
        SharpnessProbeReading reading = _sharpness.Measure();
        row["lambda_max"] = reading.LambdaMax;
        row["probe_loss"] = reading.Loss;
        row["probe_hvps"] = reading.Hvps;
        row["lambda_max_cold_check"] = reading.ColdCheckLambdaMax;   // periodic random-start check of the warm probe
        row["grad_cosine"] = _cosine.Last;
        row["grad_cosine_mean"] = _cosineCount > 0 ? _cosineSum / _cosineCount : null;
        _cosineSum = 0;
        _cosineCount = 0;
    }

    public void Dispose()
    {
        _sharpness.Dispose();
        _cosine.Dispose();
        foreach (var batch in _batches) { batch.Input.Dispose(); batch.Target.Dispose(); }
    }
}
