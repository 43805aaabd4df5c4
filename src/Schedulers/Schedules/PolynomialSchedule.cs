using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>PyTorch PolynomialLR: <c>base·(1 − min(t, total_iters)/total_iters)^power</c>.</summary>
public sealed class PolynomialSchedule : IMultiplicativeSchedule
{
    public double BaseLr { get; }
    public double TotalIters { get; }
    public double Power { get; }

    public PolynomialSchedule(double baseLr, double totalIters = 5, double power = 1.0)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        TotalIters = Check.Positive(totalIters, "total_iters");
        Power = Check.Positive(power, "power");
    }

    public double At(double t) => BaseLr * Math.Pow(1.0 - Math.Min(TotalIters, Check.Time(t)) / TotalIters, Power);
}
