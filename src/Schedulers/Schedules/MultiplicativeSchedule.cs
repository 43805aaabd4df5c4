using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// PyTorch MultiplicativeLR for code (not JSON): each step multiplies the previous lr by <c>lambda(t)</c>
/// (t = 1, 2, ...), so <c>lr(t) = (((base·λ(1))·λ(2))···λ(t))</c>, multiplied in PyTorch's order so the numbers
/// agree bit for bit. The function must be pure. The running products are memoised, so stepping costs one
/// multiplication and a later <c>At(t)</c> for an earlier t is a lookup; not thread-safe.
/// </summary>
public sealed class MultiplicativeSchedule : ISchedule
{
    readonly Func<long, double> _lambda;
    readonly List<double> _lrs;
    public double BaseLr { get; }

    public MultiplicativeSchedule(double baseLr, Func<long, double> lambda)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        _lambda = lambda ?? throw new ArgumentNullException(nameof(lambda));
        _lrs = [BaseLr];
    }

    public double At(double t)
    {
        long n = LambdaSchedule.WholeTime(t);
        if (!(n < int.MaxValue)) Check.That(false, "t", $"({t}) is too far for MultiplicativeLR's running product");
        while (_lrs.Count <= n) _lrs.Add(_lrs[^1] * _lambda(_lrs.Count));
        return _lrs[(int)n];
    }
}
