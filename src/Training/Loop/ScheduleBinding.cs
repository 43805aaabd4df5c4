using System.Text.Json.Nodes;
using TorchSharp.Modules;
using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;

namespace TrainKit.Training.Loop;

/// <summary>Connects the trainer to the scheduler library: completes a run's schedule spec with what only
/// the run knows, builds the <see cref="ScheduledLR"/>, and exposes it as an <see cref="IRunScheduler"/>.</summary>
public static class ScheduleBinding
{
    /// <summary>Parameters that mean "the length of the run": filled from the run when the spec omits them.</summary>
    static readonly string[] RunLengthParameters = ["total_steps", "T_max"];

    /// <summary>The spec with run-length parameters and steps_per_epoch filled in where absent.</summary>
    public static ScheduleSpec Complete(ScheduleSpec spec, long totalSteps, long stepsPerEpoch)
    {
        KindInfo kind = ScheduleCatalog.Describe(spec.Kind);
        var parameters = (JsonObject)spec.Params.DeepClone();
        bool epochs = spec.Unit == TimeUnit.Epochs;
        int perEpoch = spec.StepsPerEpoch ?? (int)stepsPerEpoch;
        foreach (string name in RunLengthParameters)
            if (kind.Find(name) is { Required: true } && !parameters.ContainsKey(name))
                parameters[name] = epochs ? (double)totalSteps / perEpoch : totalSteps;
        return spec with { Params = parameters, StepsPerEpoch = epochs ? perEpoch : spec.StepsPerEpoch };
    }

    public static IRunScheduler Create(ScheduleSpec spec, OptimizerHelper optimizer, long totalSteps, long stepsPerEpoch) =>
        new Bound(ScheduleFactory.CreateScheduler(Complete(spec, totalSteps, stepsPerEpoch), optimizer));

    sealed class Bound(ScheduledLR scheduler) : IRunScheduler
    {
        public void Step() => scheduler.step();

        public (double Lr, double? WeightDecay, double? Momentum) Current =>
            (scheduler.get_last_lr()[0], scheduler.get_last_weight_decay()[0], scheduler.get_last_momentum()[0]);

        public void ReportMetric(double value)
        {
            if (scheduler is ReduceLROnPlateauWithWarmup plateau) plateau.step(value);
        }

        public JsonNode State() => JsonNode.Parse(scheduler.state_dict().ToJson())!;

        public void LoadState(JsonNode state) => scheduler.load_state_dict(SchedulerState.FromJson(state.ToJsonString()));

        public void ScaleLearningRate(double factor)
        {
            SchedulerState state = scheduler.state_dict();
            scheduler.load_state_dict(state with { BaseLrs = state.BaseLrs.Select(lr => lr * factor).ToArray() });
        }
    }
}
