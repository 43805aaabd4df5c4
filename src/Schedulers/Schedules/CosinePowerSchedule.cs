using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>Cosine decay raised to a power (optax <c>cosine_decay_schedule(exponent=...)</c>):
/// <c>eta_min + (base − eta_min)·((1 + cos(π·min(t,T)/T))/2)^power</c>; it stays at eta_min after T.</summary>
public sealed class CosinePowerSchedule : ISchedule
{
    public double BaseLr { get; }
    public double DecaySteps { get; }
    public double Power { get; }
    public double EtaMin { get; }

    public CosinePowerSchedule(double baseLr, double decaySteps, double power = 1.0, double etaMin = 0)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        DecaySteps = Check.Positive(decaySteps, "decay_steps");
        Power = Check.Positive(power, "power");
        EtaMin = Check.NonNegative(etaMin, "eta_min");
    }

    public double At(double t)
    {
        double p = Math.Min(Check.Time(t), DecaySteps) / DecaySteps;
        return EtaMin + (BaseLr - EtaMin) * Math.Pow((1 + Math.Cos(Math.PI * p)) / 2, Power);
    }
}
