using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>PyTorch MultiStepLR: <c>base·gamma^(number of milestones ≤ t)</c>. A milestone listed twice counts twice
/// (PyTorch keeps them in a Counter: <c>[10, 10, 25]</c> gives gamma² at 10); the list may be in any order.</summary>
public sealed class MultiStepSchedule : IMultiplicativeSchedule
{
    readonly double[] _milestones;
    public double BaseLr { get; }
    public IReadOnlyList<double> Milestones => _milestones;
    public double Gamma { get; }

    public MultiStepSchedule(double baseLr, IEnumerable<double> milestones, double gamma = 0.1)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        _milestones = milestones.ToArray();
        Check.That(_milestones.Length > 0, "milestones", "must list at least one time");
        foreach (double m in _milestones) Check.NonNegative(m, "milestones");
        Array.Sort(_milestones);
        Gamma = Check.AboveUpTo(gamma, 0, 1, "gamma");
    }

    public double At(double t)
    {
        Check.Time(t);
        int passed = 0;
        while (passed < _milestones.Length && _milestones[passed] <= t) passed++;
        return BaseLr * Math.Pow(Gamma, passed);
    }
}
