using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Adapter;

/// <summary>The unit a schedule's time parameters are written in.</summary>
public enum TimeUnit { Steps, Epochs }

/// <summary>
/// Turns the scheduler's step counter (one per <c>scheduler.step()</c>) into schedule time. With
/// <see cref="TimeUnit.Epochs"/> the time is steps/steps_per_epoch, a fractional epoch, so SGDR restarts
/// mid-epoch; the conversion factor is always declared, never guessed.
/// </summary>
public sealed record TimeAxis
{
    public TimeUnit Unit { get; }
    public int StepsPerEpoch { get; }

    public TimeAxis(TimeUnit unit, int stepsPerEpoch = 1)
    {
        Unit = unit;
        StepsPerEpoch = Check.PositiveInt(stepsPerEpoch, "steps_per_epoch");
        Check.That(unit == TimeUnit.Epochs || stepsPerEpoch == 1, "steps_per_epoch", "only applies when the unit is epochs");
    }

    public static TimeAxis Steps { get; } = new(TimeUnit.Steps);
    public static TimeAxis EpochsOf(int stepsPerEpoch) => new(TimeUnit.Epochs, stepsPerEpoch);

    public double TimeOf(long steps) => Unit == TimeUnit.Steps ? steps : (double)steps / StepsPerEpoch;
}
