using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>PyTorch StepLR: <c>base·gamma^⌊t/step_size⌋</c>. PyTorch multiplies recursively; the
/// recorded numbers agree with this closed form far inside 1e-12 (the drift is a few ulps).</summary>
public sealed class StepSchedule : IMultiplicativeSchedule
{
    public double BaseLr { get; }
    public double StepSize { get; }
    public double Gamma { get; }

    public StepSchedule(double baseLr, double stepSize, double gamma = 0.1)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        StepSize = Check.Positive(stepSize, "step_size");
        Gamma = Check.AboveUpTo(gamma, 0, 1, "gamma");
    }

    public double At(double t) => BaseLr * Math.Pow(Gamma, Math.Floor(Check.Time(t) / StepSize));
}
