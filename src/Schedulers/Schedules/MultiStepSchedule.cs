using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>PyTorch MultiStepLR: <c>base·gamma^(number of milestones ≤ t)</c>.</summary>
public sealed class MultiStepSchedule : ISchedule
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
        for (int i = 0; i < _milestones.Length; i++)
        {
            Check.NonNegative(_milestones[i], "milestones");
            Check.That(i == 0 || _milestones[i] > _milestones[i - 1], "milestones", "must be strictly increasing");
        }
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
