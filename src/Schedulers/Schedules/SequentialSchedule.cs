using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// PyTorch SequentialLR / optax <c>join_schedules</c>: child i runs from milestone i−1 (0 for the first) and
/// sees time relative to where it starts, so a cosine after a warmup begins at its own t = 0.
/// </summary>
public sealed class SequentialSchedule : ISchedule
{
    readonly ISchedule[] _children;
    readonly double[] _milestones;
    public IReadOnlyList<ISchedule> Children => _children;
    public IReadOnlyList<double> Milestones => _milestones;

    public SequentialSchedule(IEnumerable<ISchedule> children, IEnumerable<double> milestones)
    {
        _children = children.ToArray();
        _milestones = milestones.ToArray();
        Check.That(_children.Length >= 1, "schedulers", "must list at least one schedule");
        Check.That(_milestones.Length == _children.Length - 1, "milestones",
            $"must have one entry fewer than schedulers ({_children.Length - 1}), got {_milestones.Length}");
        for (int i = 0; i < _milestones.Length; i++)
        {
            Check.Positive(_milestones[i], "milestones");
            Check.That(i == 0 || _milestones[i] > _milestones[i - 1], "milestones", "must be strictly increasing");
        }
    }

    public double At(double t)
    {
        Check.Time(t);
        int i = 0;
        while (i < _milestones.Length && _milestones[i] <= t) i++;
        return _children[i].At(i == 0 ? t : t - _milestones[i - 1]);
    }
}
