using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>PyTorch ExponentialLR: <c>base·gamma^t</c> (PyTorch's recursive product drifts by a few ulps
/// over hundreds of steps; the closed form stays within the golden tolerance).</summary>
public sealed class ExponentialSchedule : ISchedule
{
    public double BaseLr { get; }
    public double Gamma { get; }

    public ExponentialSchedule(double baseLr, double gamma)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        Gamma = Check.AboveUpTo(gamma, 0, 1, "gamma");
    }

    public double At(double t) => BaseLr * Math.Pow(Gamma, Check.Time(t));
}
