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
    readonly Device _device;
    double _cosineSum;   // the cosine totals at the last report: the interval mean is the difference
    int _cosineCount;

    public TrainingProbes(ITrainingTask task, int examples, long seed)
    {
        using var scope = NewDisposeScope();
        var (inputs, targets) = task.AnalysisSubset(examples);
        _batches = AnalysisBatches.FirstExamples(inputs, targets, examples, 256);
        _device = task.Model.parameters().First().device;
        foreach (var batch in _batches) { batch.Input.DetachFromDisposeScope(); batch.Target.DetachFromDisposeScope(); }
        _sharpness = new SharpnessProbe(task.Model, (output, target) => task.Loss(output, target), _batches, seed: seed);
    }

    /// <summary>Every step, after the backward pass: queued on the device, read at the next report.</summary>
    public void ObserveGradient(nn.Module<Tensor, Tensor> model) => _cosine.Observe(model.parameters());

    public void AddTo(Dictionary<string, double?> row)
    {
        SharpnessProbeReading reading = _sharpness.Measure();
        row["lambda_max"] = reading.LambdaMax;
        row["probe_loss"] = reading.Loss;
        row["probe_hvps"] = reading.Hvps;
        row["lambda_max_cold_check"] = reading.ColdCheckLambdaMax;   // periodic random-start check of the warm probe
        GradientCosineReading cosines = _cosine.Read();
        int count = cosines.Count - _cosineCount;
        row["grad_cosine"] = cosines.Last;
        row["grad_cosine_mean"] = count > 0 ? (cosines.Sum - _cosineSum) / count : null;
        (_cosineSum, _cosineCount) = (cosines.Sum, cosines.Count);
    }

    /// <summary>Version of the checkpoint part <see cref="Save"/> writes. Format 1 stored the cosine sum and count
    /// since the last report; format 2 stores the probe's totals at the last report (the probe keeps running totals
    /// on the device). Both load.</summary>
    const int StateFormat = 2;

    /// <summary>Writes the probes' state (checkpoint part <c>probes</c>): with it a resumed run's λ_max and gradient
    /// cosines equal an uninterrupted run's, not a cold restart's.</summary>
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(StateFormat);
        writer.Write(_cosineSum);
        writer.Write(_cosineCount);
        _sharpness.Save(writer);
        _cosine.Save(writer);
    }

    public void Load(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        try
        {
            int format = reader.ReadInt32();
            if (format is not (1 or StateFormat)) throw new InvalidDataException($"probe state format {format}; this version reads 1 and {StateFormat}");
            double cosineSum = reader.ReadDouble();
            int cosineCount = reader.ReadInt32();
            _sharpness.Load(reader);
            _cosine.Load(reader, _device);
            if (format == 1)
            {
                GradientCosineReading totals = _cosine.Read();
                (cosineSum, cosineCount) = (totals.Sum - cosineSum, totals.Count - cosineCount);
            }
            (_cosineSum, _cosineCount) = (cosineSum, cosineCount);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("the probe state ends early", ex);
        }
    }

    public void Dispose()
    {
        _sharpness.Dispose();
        _cosine.Dispose();
        foreach (var batch in _batches) { batch.Input.Dispose(); batch.Target.Dispose(); }
    }
}
