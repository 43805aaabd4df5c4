using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>HF <c>get_cosine_with_hard_restarts_schedule_with_warmup</c>: linear warmup, then num_cycles
/// cosine decays from base to 0, each restarting at base; 0 from total_steps on.</summary>
public sealed class WarmupCosineHardRestartsSchedule : ISchedule
{
    public double BaseLr { get; }
    public double WarmupSteps { get; }
    public double TotalSteps { get; }
    public double NumCycles { get; }

    public WarmupCosineHardRestartsSchedule(double baseLr, double warmupSteps, double totalSteps, double numCycles = 1)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        TotalSteps = Check.Positive(totalSteps, "total_steps");
        WarmupSteps = Check.Within(warmupSteps, 0, totalSteps, "warmup_steps", "total_steps");
        NumCycles = Check.Positive(numCycles, "num_cycles");
    }

    public double At(double t)
    {
        Check.Time(t);
        if (t < WarmupSteps) return BaseLr * (t / Math.Max(1, WarmupSteps));
        double progress = (t - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        if (progress >= 1) return 0;
        return BaseLr * Math.Max(0, 0.5 * (1 + Math.Cos(Math.PI * (NumCycles * progress % 1.0))));
    }
}
