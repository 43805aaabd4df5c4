using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>HF <c>get_inverse_sqrt_schedule</c>: linear warmup, then
/// <c>1/√((t + timescale − W)/timescale)</c>, which equals 1 at t = W. timescale defaults to W
/// (or 10 000 without warmup), as in HF.</summary>
public sealed class InverseSqrtSchedule : ISchedule
{
    public double BaseLr { get; }
    public double WarmupSteps { get; }
    public double Timescale { get; }

    public InverseSqrtSchedule(double baseLr, double warmupSteps, double? timescale = null)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        WarmupSteps = Check.NonNegative(warmupSteps, "warmup_steps");
        Timescale = Check.Positive(timescale ?? (warmupSteps > 0 ? warmupSteps : 10_000), "timescale");
    }

    public double At(double t)
    {
        Check.Time(t);
        if (t < WarmupSteps) return BaseLr * (t / Math.Max(1, WarmupSteps));
        double shift = Timescale - WarmupSteps;
        return BaseLr * (1.0 / Math.Sqrt((t + shift) / Timescale));
    }
}
