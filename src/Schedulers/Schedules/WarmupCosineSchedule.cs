using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// HF <c>get_cosine_schedule_with_warmup</c> (and <c>..._with_min_lr</c>): linear warmup from 0 over
/// warmup_steps, then <c>m + (1 − m)·½(1 + cos(2π·num_cycles·progress))</c> clamped at 0, with
/// progress = (t − W)/(T − W) and m = min_lr_ratio. Like HF it is not clamped after total_steps.
/// </summary>
public sealed class WarmupCosineSchedule : ISchedule
{
    public double BaseLr { get; }
    public double WarmupSteps { get; }
    public double TotalSteps { get; }
    public double NumCycles { get; }
    public double MinLrRatio { get; }

    public WarmupCosineSchedule(double baseLr, double warmupSteps, double totalSteps, double numCycles = 0.5, double minLrRatio = 0)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        TotalSteps = Check.Positive(totalSteps, "total_steps");
        WarmupSteps = Check.Within(warmupSteps, 0, totalSteps, "warmup_steps", "total_steps");
        NumCycles = Check.Positive(numCycles, "num_cycles");
        MinLrRatio = Check.Within(minLrRatio, 0, 1, "min_lr_ratio");
    }

    public double At(double t)
    {
        Check.Time(t);
        if (t < WarmupSteps) return BaseLr * (t / Math.Max(1, WarmupSteps));
        double progress = (t - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        double factor = 0.5 * (1 + Math.Cos(Math.PI * NumCycles * 2 * progress));
        return BaseLr * Math.Max(0, factor * (1 - MinLrRatio) + MinLrRatio);
    }
}
