using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>HF <c>get_constant_schedule_with_warmup</c> (<c>get_scheduler("constant_with_warmup")</c>): t/max(1, W)
/// of the base lr during the warmup, then the base lr. Unlike PyTorch's LinearLR it starts at exactly 0.</summary>
public sealed class HfConstantWithWarmupSchedule : ISchedule
{
    public double BaseLr { get; }
    public double NumWarmupSteps { get; }

    public HfConstantWithWarmupSchedule(double baseLr, double numWarmupSteps)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        NumWarmupSteps = Check.NonNegative(numWarmupSteps, "num_warmup_steps");
    }

    public double At(double t) => Check.Time(t) < NumWarmupSteps ? BaseLr * (t / Math.Max(1, NumWarmupSteps)) : BaseLr;
}
