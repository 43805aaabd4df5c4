using System.Text.Json.Nodes;

namespace TrainKit.Training.Loop;

/// <summary>The trainer's view of a scheduler: step once per optimizer step, report the values it set, and
/// save/restore its position.</summary>
public interface IRunScheduler
{
    void Step();
    /// <summary>Learning rate, weight decay and momentum (SGD momentum or Adam beta1) of parameter group 0
    /// as the optimizer will use them in the next step (null where the optimizer has none).</summary>
    (double Lr, double? WeightDecay, double? Momentum) Current { get; }
    /// <summary>An evaluation metric (lower is better), for schedules that react to one (ReduceLROnPlateau).</summary>
    void ReportMetric(double value);
    JsonNode State();
    void LoadState(JsonNode state);
    /// <summary>Takes over the clock of a state another schedule wrote (a fork with a new schedule tail): this
    /// schedule continues at that step count, with that state's base values and rollback scale.</summary>
    void ContinueClock(JsonNode state);
    /// <summary>Scales every future learning rate (divergence rollback).</summary>
    void ScaleLearningRate(double factor);
}
