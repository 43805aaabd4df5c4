using System.Text.Json.Nodes;
using TorchSharp.Modules;
using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;

namespace TrainKit.Training.Loop;

/// <summary>Connects the trainer to the scheduler library: completes a run's schedule spec with what only
/// the run knows, builds the <see cref="ScheduledLR"/>, and exposes it as an <see cref="IRunScheduler"/>.</summary>
public static class ScheduleBinding
{
    /// <summary>
    /// The spec in steps (<see cref="ScheduleUnits.ToSteps"/>: a spec in epochs takes the run's steps_per_epoch unless
    /// it gives its own), with the parameters the catalog marks <see cref="ParamInfo.RunLength"/> that it omits set to
    /// the run's length in steps, unless it gives one that stands in for them (<see cref="ParamInfo.ReplacedBy"/>:
    /// OneCycleLR's epochs/steps_per_epoch).
    /// </summary>
    public static ScheduleSpec Complete(ScheduleSpec spec, long totalSteps, long stepsPerEpoch)
    {
        KindInfo kind = ScheduleCatalog.Describe(spec.Kind);
        var declared = spec.Unit == TimeUnit.Epochs && spec.StepsPerEpoch is null ? spec with { StepsPerEpoch = checked((int)stepsPerEpoch) } : spec;
        var inSteps = ScheduleUnits.ToSteps(declared);
        var parameters = (JsonObject)inSteps.Params.DeepClone();
        foreach (ParamInfo p in kind.Parameters.Where(p => p.RunLength))
            if (!parameters.ContainsKey(p.Name) && !p.ReplacedBy.Any(parameters.ContainsKey))
                parameters[p.Name] = totalSteps;
        return inSteps with { Params = parameters };
    }

    public static IRunScheduler Create(ScheduleSpec spec, OptimizerHelper optimizer, long totalSteps, long stepsPerEpoch)
    {
        ScheduleSpec complete = CompleteCovering(spec, totalSteps, stepsPerEpoch);
        return Explained(spec, totalSteps, () => new Bound(ScheduleFactory.CreateScheduler(complete, optimizer)));
    }

    /// <summary>Everything <see cref="Create"/> checks, without an optimizer: a sweep checks every cell's schedule this
    /// way before the first cell trains.</summary>
    public static void Check(ScheduleSpec spec, double baseLr, long totalSteps, long stepsPerEpoch)
    {
        ScheduleSpec complete = CompleteCovering(spec, totalSteps, stepsPerEpoch);
        Explained(spec, totalSteps, () => ScheduleFactory.CreateSchedule(complete, baseLr));
    }

    static ScheduleSpec CompleteCovering(ScheduleSpec spec, long totalSteps, long stepsPerEpoch)
    {
        ScheduleSpec complete = Complete(spec, totalSteps, stepsPerEpoch);
        CheckCoversRun(complete, totalSteps);
        return complete;
    }

    static T Explained<T>(ScheduleSpec spec, long totalSteps, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException ex) when (IsDefault(spec))
        {
            // The user never wrote this schedule: say where its values come from, not only which one is out of range.
            throw new ArgumentException(
                $"the default schedule ({spec.Kind} with {spec.Params.ToJsonString()}, used because the configuration has no schedule block) " +
                $"does not fit this {totalSteps}-step run: schedule.params.{ex.Message.Split(" (Parameter '")[0]}; set a schedule block, e.g. " +
                $"\"schedule\": {{\"kind\": \"WarmupCosine\", \"params\": {{\"warmup_steps\": {totalSteps / 10}}}}}", ex);
        }
    }

    static bool IsDefault(ScheduleSpec spec) => spec.ToJson() == new Config.RunConfig().Schedule.ToJson();

    /// <summary>A given total_steps shorter than the run would leave the last steps off the schedule's end.</summary>
    static void CheckCoversRun(ScheduleSpec spec, long totalSteps)
    {
        if (spec.Params["total_steps"] is not JsonValue value || !value.TryGetValue(out double given)) return;
        double steps = spec.Unit == TimeUnit.Epochs ? given * (spec.StepsPerEpoch ?? 1) : given;
        if (steps < totalSteps)
            throw new ArgumentException(
                $"schedule.params.total_steps ({given}{(spec.Unit == TimeUnit.Epochs ? " epochs" : "")}) is shorter than the run ({totalSteps} steps); " +
                "leave it out to use the run's length, or set it to at least the run's length");
    }

    sealed class Bound(ScheduledLR scheduler) : IRunScheduler
    {
        public void Step() => scheduler.step();

        public (double Lr, double? WeightDecay, double? Momentum) Current =>
            (scheduler.LastLr(0), scheduler.LastHyperparameters(0).WeightDecay, scheduler.LastHyperparameters(0).Momentum);

        public void ReportMetric(double value)
        {
            if (scheduler is ReduceLROnPlateauWithWarmup plateau) plateau.step(value);
        }

        public JsonNode State() => JsonNode.Parse(scheduler.state_dict().ToJson())!;

        public void LoadState(JsonNode state) => scheduler.load_state_dict(SchedulerState.FromJson(state.ToJsonString()));

        public void ContinueClock(JsonNode state) => scheduler.ContinueClock(SchedulerState.FromJson(state.ToJsonString()));

        /// <summary>Sets the rollback scale on every lr the scheduler sets, for every kind (OneCycleLR and CyclicLR ignore the
        /// optimizer's lr and ReduceLROnPlateau keeps its own, so rescaling base lrs did nothing for them). The factor is
        /// absolute (the trainer passes lr_factor^rollbacks), so a checkpoint written after an earlier rollback is not cut twice.</summary>
        public void ScaleLearningRate(double factor) => scheduler.SetLrScale(factor);
    }
}
