using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// A schedule whose PyTorch chainable step multiplies the current lr by its own ratio f(t)/f(t − 1) (StepLR,
/// MultiStepLR, ExponentialLR, LinearLR, ConstantLR, PolynomialLR). Inside a <see cref="ChainedSchedule"/> such a
/// child rescales whatever lr the previous children left.
/// </summary>
public interface IMultiplicativeSchedule : ISchedule;

/// <summary>
/// PyTorch ChainedScheduler: at every step each child, in order, applies its <em>chainable</em> step to the lr the
/// previous one left, exactly as <c>for s in schedulers: s.step()</c> on one optimizer does:
/// <list type="bullet">
/// <item>multiplicative children (<see cref="IMultiplicativeSchedule"/>): lr ← lr·f(t)/f(t − 1) (at t = 0: lr·f(0)/base);</item>
/// <item>CosineAnnealingLR: PyTorch's recursive affine step, lr ← (1 + cos(πt/T))/(1 + cos(π(t − 1)/T))·(lr − η) + η,
/// with its special case at the trough (so an eta_min child does not simply multiply);</item>
/// <item>every other kind sets its own value f(t), as PyTorch's non-chainable schedulers (OneCycleLR, CyclicLR,
/// CosineAnnealingWarmRestarts, LambdaLR-based HF schedules) do, discarding what came before it.</item>
/// </list>
/// The value at t is therefore a recursion over the integer steps 0..t (ChainedScheduler has no <c>step(epoch)</c>,
/// so fractional times are refused). <see cref="At"/> stays a pure function of t: the recursion is memoised at the
/// last time asked for, so stepping forward costs one map per child and a jump back recomputes from 0.
/// Not thread-safe (one scheduler owns it).
/// </summary>
public sealed class ChainedSchedule : ISchedule
{
    readonly ISchedule[] _children;
    /// <summary>The longest replay one call may do (a jump or a resume this far is refused rather than hanging).</summary>
    public const long MaxRecursion = 100_000_000;
    long _memoTime = -1;
    double _memoLr;

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
        Check.Time(t);
        // Runs every step: the messages are formatted only when a check fails (an eager interpolated string cost µs).
        if (!(t == Math.Floor(t))) Check.That(false, "t", $"must be a whole number of steps for ChainedScheduler (it has no step(epoch) in PyTorch), got {t}");
        if (!(t <= int.MaxValue)) Check.That(false, "t", $"must be at most {int.MaxValue} for ChainedScheduler, got {t}");
        long target = (long)t;
        if (target < _memoTime) _memoTime = -1;
        if (!(target - _memoTime <= MaxRecursion)) Check.That(false, "t",
            $"= {t}: ChainedScheduler would have to replay {target - _memoTime} steps to get there (at most {MaxRecursion} at once)");
        double lr = _memoTime < 0 ? BaseLr : _memoLr;
        for (long k = _memoTime + 1; k <= target; k++)
            foreach (var child in _children) lr = ChainStep(child, lr, k);
        _memoTime = target;
        _memoLr = lr;
        return lr;
    }

    double ChainStep(ISchedule child, double lr, long t) => child switch
    {
        CosineAnnealingSchedule c => CosineStep(c, lr, t),
        IMultiplicativeSchedule m => Ratio(m, lr, t),
        _ => child.At(t),
    };

    double Ratio(ISchedule child, double lr, long t)
    {
        double before = t == 0 ? BaseLr : child.At(t - 1), now = child.At(t);
        return now == before ? lr : lr * (now / before);
    }

    /// <summary>PyTorch CosineAnnealingLR.get_lr (the chainable form), term for term.</summary>
    static double CosineStep(CosineAnnealingSchedule c, double lr, long t)
    {
        if (t == 0) return lr;
        if ((t - 1 - c.TMax) % (2 * c.TMax) == 0)
            return lr + (c.BaseLr - c.EtaMin) * (1 - Math.Cos(Math.PI / c.TMax)) / 2;
        return (1 + Math.Cos(Math.PI * t / c.TMax)) / (1 + Math.Cos(Math.PI * (t - 1) / c.TMax)) * (lr - c.EtaMin) + c.EtaMin;
    }
}
