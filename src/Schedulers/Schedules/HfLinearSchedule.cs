using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// HF <c>get_linear_schedule_with_warmup</c> (<c>get_scheduler("linear")</c>): linear warmup from 0 over
/// num_warmup_steps, then a straight line from base down to 0 at num_training_steps, clamped at 0 after it.
/// HF's lambda divides by max(1, ·), which this keeps, so a zero-length warmup or decay behaves as in HF.
/// (PyTorch's LinearLR, which the plain name "linear" means here, is a ramp between two factors instead.)
/// </summary>
public sealed class HfLinearSchedule : ISchedule
{
    public double BaseLr { get; }
    public double NumWarmupSteps { get; }
    public double NumTrainingSteps { get; }

    public HfLinearSchedule(double baseLr, double numWarmupSteps, double numTrainingSteps)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        NumWarmupSteps = Check.NonNegative(numWarmupSteps, "num_warmup_steps");
        NumTrainingSteps = Check.AtLeast(numTrainingSteps, numWarmupSteps, "num_training_steps", "num_warmup_steps");
    }

    public double At(double t)
    {
        Check.Time(t);
        if (t < NumWarmupSteps) return BaseLr * (t / Math.Max(1, NumWarmupSteps));
        return BaseLr * Math.Max(0.0, (NumTrainingSteps - t) / Math.Max(1, NumTrainingSteps - NumWarmupSteps));
    }
}
