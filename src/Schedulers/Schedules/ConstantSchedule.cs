using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>PyTorch ConstantLR: <c>base·factor</c> while t &lt; total_iters, then <c>base</c>. With the
/// defaults (factor 1, total_iters 0) it is a plain constant.</summary>
public sealed class ConstantSchedule : IMultiplicativeSchedule
{
    public double BaseLr { get; }
    public double Factor { get; }
    public double TotalIters { get; }

    public ConstantSchedule(double baseLr, double factor = 1.0, double totalIters = 0)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        Factor = Check.Within(factor, 0, 1, "factor");
        TotalIters = Check.NonNegative(totalIters, "total_iters");
    }

    public double At(double t) => Check.Time(t) < TotalIters ? BaseLr * Factor : BaseLr;
}
