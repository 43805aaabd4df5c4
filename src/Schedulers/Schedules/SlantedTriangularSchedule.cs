using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>Slanted triangular learning rates (Howard &amp; Ruder 2018, ULMFiT): a short linear rise over
/// cut = ⌊T·cut_frac⌋ steps, a long linear fall; <c>lr = base·(1 + p·(ratio − 1))/ratio</c>, so the lowest
/// value is base/ratio. After T it stays at base/ratio.</summary>
public sealed class SlantedTriangularSchedule : ISchedule
{
    public double BaseLr { get; }
    public double TotalSteps { get; }
    public double CutFrac { get; }
    public double Ratio { get; }
    readonly double _cut;

    public SlantedTriangularSchedule(double baseLr, double totalSteps, double cutFrac = 0.1, double ratio = 32)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        TotalSteps = Check.Positive(totalSteps, "total_steps");
        CutFrac = Check.Between(cutFrac, 0, 1, "cut_frac");
        Ratio = Check.AtLeast(ratio, 1, "ratio");
        _cut = Math.Max(1, Math.Floor(TotalSteps * CutFrac));
    }

    public double At(double t)
    {
        Check.Time(t);
        double p = t < _cut ? t / _cut : 1 - (Math.Min(t, TotalSteps) - _cut) / (_cut * (1 / CutFrac - 1));
        return BaseLr * (1 + Math.Max(0, p) * (Ratio - 1)) / Ratio;
    }
}
