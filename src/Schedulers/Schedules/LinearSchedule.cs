using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>PyTorch LinearLR: the factor moves linearly from start_factor to end_factor over total_iters,
/// then stays at end_factor. Closed form as in PyTorch's <c>_get_closed_form_lr</c>.</summary>
public sealed class LinearSchedule : IMultiplicativeSchedule
{
    public double BaseLr { get; }
    public double StartFactor { get; }
    public double EndFactor { get; }
    public double TotalIters { get; }

    public LinearSchedule(double baseLr, double startFactor = 1.0 / 3, double endFactor = 1.0, double totalIters = 5)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        StartFactor = Check.AboveUpTo(startFactor, 0, 1, "start_factor");
        EndFactor = Check.Within(endFactor, 0, 1, "end_factor");
        TotalIters = Check.Positive(totalIters, "total_iters");
    }

    public double At(double t) =>
        BaseLr * (StartFactor + (EndFactor - StartFactor) * Math.Min(TotalIters, Check.Time(t)) / TotalIters);
}
