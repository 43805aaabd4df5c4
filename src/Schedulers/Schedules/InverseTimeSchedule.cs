using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>Inverse-time decay (Keras/TF InverseTimeDecay): <c>base / (1 + decay_rate·t/decay_steps)</c>,
/// with <c>t/decay_steps</c> floored when <c>staircase</c>.</summary>
public sealed class InverseTimeSchedule : ISchedule
{
    public double BaseLr { get; }
    public double DecayRate { get; }
    public double DecaySteps { get; }
    public bool Staircase { get; }

    public InverseTimeSchedule(double baseLr, double decayRate, double decaySteps = 1, bool staircase = false)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        DecayRate = Check.NonNegative(decayRate, "decay_rate");
        DecaySteps = Check.Positive(decaySteps, "decay_steps");
        Staircase = staircase;
    }

    public double At(double t)
    {
        double p = Check.Time(t) / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return BaseLr / (1 + DecayRate * p);
    }
}
