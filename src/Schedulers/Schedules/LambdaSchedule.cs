using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// PyTorch LambdaLR for code (not JSON): <c>base·lambda(t)</c> with a C# function of the whole step/epoch count,
/// e.g. <c>new ScheduledLR(optimizer, lr => new LambdaSchedule(lr, e => Math.Pow(0.95, e)))</c>. The function must
/// be pure (it may be called again for the same t, e.g. after a resume). Fractional times are refused, since
/// the function takes a whole count.
/// </summary>
public sealed class LambdaSchedule : ISchedule
{
    readonly Func<long, double> _lambda;
    public double BaseLr { get; }

    public LambdaSchedule(double baseLr, Func<long, double> lambda)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        _lambda = lambda ?? throw new ArgumentNullException(nameof(lambda));
    }

    public double At(double t) => BaseLr * _lambda(WholeTime(t));

    /// <summary>t as a whole count; a fractional one is an error naming the schedule.</summary>
    internal static long WholeTime(double t)
    {
        Check.Time(t);
        if (!(t == Math.Floor(t) && t <= long.MaxValue)) Check.That(false, "t", $"({t}) must be a whole step or epoch count: a lambda schedule's function takes a long");
        return (long)t;
    }
}
