using System.Text.Json.Nodes;
using TrainKit.Schedulers.Adapter;
using static TorchSharp.torch.optim;

namespace TrainKit.Schedulers.Config;

/// <summary>
/// HF transformers' <c>get_scheduler(name, optimizer, num_warmup_steps, num_training_steps, scheduler_specific_kwargs)</c>
/// for code ported from it: the name is HF's (<c>"linear"</c> here means HF's linear, not PyTorch's LinearLR) and the
/// result is the <c>hf.</c> kind of <see cref="ScheduleCatalog"/>. As in HF, every name but constant and
/// reduce_lr_on_plateau needs num_warmup_steps, and those with a decay need num_training_steps.
/// </summary>
public static class HfSchedulers
{
    /// <summary>The spec <c>get_scheduler</c> would build, e.g. <c>Spec("cosine", 100, 1000)</c> is <c>{"kind":"hf.cosine",...}</c>.</summary>
    public static ScheduleSpec Spec(string name, int? numWarmupSteps = null, int? numTrainingSteps = null, JsonObject? schedulerSpecificKwargs = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!ScheduleCatalog.HfNames.Contains(name))
            throw new ArgumentException($"name: '{name}' is not an HF scheduler (HF get_scheduler names: {string.Join(", ", ScheduleCatalog.HfNames)})", nameof(name));
        var parameters = (JsonObject?)schedulerSpecificKwargs?.DeepClone() ?? [];
        // HF passes only what each schedule takes: constant nothing, plateau its kwargs, the warmup-only ones the warmup.
        bool usesWarmup = name is not ("constant" or "reduce_lr_on_plateau");
        bool usesTraining = usesWarmup && name is not ("constant_with_warmup" or "inverse_sqrt");
        if (usesWarmup)
        {
            if (numWarmupSteps is null) throw new ArgumentException($"{name} requires num_warmup_steps, please provide that argument (as in HF)", nameof(numWarmupSteps));
            parameters["num_warmup_steps"] = (double)numWarmupSteps.Value;
        }
        if (usesTraining && name != "warmup_stable_decay" && numTrainingSteps is null)
            throw new ArgumentException($"{name} requires num_training_steps, please provide that argument (as in HF)", nameof(numTrainingSteps));
        if (usesTraining && numTrainingSteps is not null) parameters["num_training_steps"] = (double)numTrainingSteps.Value;
        return new ScheduleSpec { Kind = ScheduleCatalog.HfPrefix + name, Params = parameters };
    }

    /// <summary>The scheduler HF's <c>get_scheduler</c> returns, on <paramref name="optimizer"/>.</summary>
    public static ScheduledLR GetScheduler(string name, Optimizer optimizer, int? numWarmupSteps = null, int? numTrainingSteps = null,
        JsonObject? schedulerSpecificKwargs = null) =>
        ScheduleFactory.CreateScheduler(Spec(name, numWarmupSteps, numTrainingSteps, schedulerSpecificKwargs), optimizer);
}
