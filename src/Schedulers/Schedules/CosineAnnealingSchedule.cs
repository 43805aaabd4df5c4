using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// PyTorch CosineAnnealingLR, closed form: <c>eta_min + (base − eta_min)·(1 + cos(π·t/T_max))/2</c>.
/// Past T_max it keeps following the cosine (back up), exactly as PyTorch's recursion does; PyTorch's
/// recursive form differs from this only by accumulated rounding: against the recorded torch 1.13 run
/// (T_max 40, 60 steps) the closed form is off by at most 3.5e-14 relative, inside the 1e-12 tolerance,
/// so the closed form is used rather than imitating the recursion.
/// eta_min is an absolute learning rate shared by all groups, as in PyTorch.
/// </summary>
public sealed class CosineAnnealingSchedule : ISchedule
{
    public double BaseLr { get; }
    public double TMax { get; }
    public double EtaMin { get; }

    public CosineAnnealingSchedule(double baseLr, double tMax, double etaMin = 0)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        TMax = Check.Positive(tMax, "T_max");
        EtaMin = Check.NonNegative(etaMin, "eta_min");
    }

    public double At(double t) => EtaMin + (BaseLr - EtaMin) * (1 + Math.Cos(Math.PI * Check.Time(t) / TMax)) / 2;
}
