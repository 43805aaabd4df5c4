using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// PyTorch SequentialLR / optax <c>join_schedules</c>: child i runs from milestone i−1 (0 for the first) and
/// sees time relative to where it starts, so a cosine after a warmup begins at its own t = 0.
/// </summary>
public sealed class SequentialSchedule : ISchedule, IReferenceLr
{
    readonly ISchedule[] _children;
    readonly double[] _milestones;
    public IReadOnlyList<ISchedule> Children => _children;
    public IReadOnlyList<double> Milestones => _milestones;

    /// <summary>The highest of the children's references (a child without its own peak counts as the group's base lr).</summary>
    public double ReferenceLr { get; }

    /// <param name="children">The schedules, in order.</param>
    /// <param name="milestones">Where child i + 1 takes over.</param>
    /// <param name="baseLr">The group's base lr: the reference of children without their own (<see cref="IReferenceLr"/>).</param>
    public SequentialSchedule(IEnumerable<ISchedule> children, IEnumerable<double> milestones, double? baseLr = null)
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
        ReferenceLr = _children.Max(c => c is IReferenceLr r ? r.ReferenceLr : baseLr ?? double.NaN);
    }

    public double At(double t)
    {
        Check.Time(t);
        int i = 0;
        while (i < _milestones.Length && _milestones[i] <= t) i++;
        return _children[i].At(i == 0 ? t : t - _milestones[i - 1]);
    }
}
