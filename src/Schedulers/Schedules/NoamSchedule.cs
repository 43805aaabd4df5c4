using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>Vaswani et al.'s transformer schedule:
/// <c>base · d_model^-½ · min(s^-½, s·W^-1.5)</c> with s = t + 1 (the paper counts steps from 1).</summary>
public sealed class NoamSchedule : ISchedule, IReferenceLr
{
    public double BaseLr { get; }
    public double DModel { get; }
    public double WarmupSteps { get; }

    public NoamSchedule(double baseLr, double dModel, double warmupSteps)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        DModel = Check.Positive(dModel, "d_model");
        WarmupSteps = Check.Positive(warmupSteps, "warmup_steps");
    }

    /// <summary>The peak, reached at s = W: base·d_model^-½·W^-½.</summary>
    public double ReferenceLr => BaseLr * (Math.Pow(DModel, -0.5) * Math.Pow(WarmupSteps, -0.5));

    public double At(double t)
    {
        double s = Check.Time(t) + 1;
        return BaseLr * (Math.Pow(DModel, -0.5) * Math.Min(Math.Pow(s, -0.5), s * Math.Pow(WarmupSteps, -1.5)));
    }
}
