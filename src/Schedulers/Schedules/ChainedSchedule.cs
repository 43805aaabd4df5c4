using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// PyTorch ChainedScheduler as a closed form: every child runs at the same time and their multipliers
/// (child(t)/base) multiply: <c>base·Π child_i(t)/base</c>. For multiplicative children (StepLR,
/// ExponentialLR, LinearLR...) this equals PyTorch's chained recursion.
/// </summary>
public sealed class ChainedSchedule : ISchedule
{
    readonly ISchedule[] _children;
    public double BaseLr { get; }
    public IReadOnlyList<ISchedule> Children => _children;

    public ChainedSchedule(double baseLr, IEnumerable<ISchedule> children)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        _children = children.ToArray();
        Check.That(_children.Length >= 1, "schedulers", "must list at least one schedule");
    }

    public double At(double t)
    {
        if (BaseLr == 0) return 0;
        double lr = BaseLr;
        foreach (var child in _children) lr *= child.At(t) / BaseLr;
        return lr;
    }
}
