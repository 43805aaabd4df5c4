using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// timm's StepLRScheduler and MultiStepLRScheduler without their warmup (which <see cref="TimmWarmupSchedule"/> adds):
/// base·decay_rate^⌊t/decay_t⌋, or base·decay_rate^n with n the number of milestones m ≤ t + 1 (timm's
/// <c>bisect_right(decay_t, t + 1)</c>: a milestone takes effect one time unit before PyTorch's MultiStepLR would).
/// </summary>
public sealed class TimmStepSchedule : ISchedule
{
    public double BaseLr { get; }
    public double DecayRate { get; }
    /// <summary>The period (StepLRScheduler), or null when <see cref="Milestones"/> decide.</summary>
    public double? DecayT { get; }
    public IReadOnlyList<double> Milestones { get; }

    /// <summary>timm's StepLRScheduler: decay by decay_rate every decay_t.</summary>
    public TimmStepSchedule(double baseLr, double decayT, double decayRate)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        DecayT = Check.Positive(decayT, "decay_t");
        DecayRate = Check.NonNegative(decayRate, "decay_rate");
        Milestones = [];
    }

    /// <summary>timm's MultiStepLRScheduler: decay by decay_rate at each milestone (sorted, as bisect needs).</summary>
    public TimmStepSchedule(double baseLr, IReadOnlyList<double> milestones, double decayRate)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        DecayRate = Check.NonNegative(decayRate, "decay_rate");
        ArgumentNullException.ThrowIfNull(milestones);
        for (int k = 0; k < milestones.Count; k++)
        {
            Check.NonNegative(milestones[k], "decay_t");
            Check.That(k == 0 || milestones[k] >= milestones[k - 1], "decay_t", "must be non-decreasing (timm bisects the list)");
        }
        Milestones = [.. milestones];
    }

    public double At(double t)
    {
        Check.Time(t);
        double n = DecayT is { } period ? Math.Floor(t / period) : Passed(t + 1);
        return BaseLr * Math.Pow(DecayRate, n);
    }

    // bisect_right: how many milestones are <= x.
    int Passed(double x)
    {
        int count = 0;
        while (count < Milestones.Count && Milestones[count] <= x) count++;
        return count;
    }
}
