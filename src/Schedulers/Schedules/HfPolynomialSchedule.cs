using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// HF <c>get_polynomial_decay_schedule_with_warmup</c> (<c>get_scheduler("polynomial")</c>): linear warmup from 0,
/// then <c>(lr_init − lr_end)·(1 − (t − W)/(T − W))^power + lr_end</c>, and lr_end after num_training_steps.
/// HF computes it in absolute lrs from the optimizer's lr (<c>lr_init</c>, its <c>defaults["lr"]</c>) and hands
/// LambdaLR the ratio to lr_init, so a group with another base lr gets the same curve scaled by base/lr_init.
/// This keeps both: <c>lrInit</c> is the optimizer's lr, <c>baseLr</c> the group's.
/// </summary>
public sealed class HfPolynomialSchedule : ISchedule
{
    public double BaseLr { get; }
    public double LrInit { get; }
    public double NumWarmupSteps { get; }
    public double NumTrainingSteps { get; }
    public double LrEnd { get; }
    public double Power { get; }

    public HfPolynomialSchedule(double baseLr, double lrInit, double numWarmupSteps, double numTrainingSteps, double lrEnd = 1e-7, double power = 1.0)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        LrEnd = Check.NonNegative(lrEnd, "lr_end");
        // HF: "lr_end must be smaller than initial lr".
        Check.That(lrInit > lrEnd, "lr_end", $"({lrEnd}) must be smaller than the optimizer's initial lr ({lrInit}), as in HF");
        LrInit = lrInit;
        NumWarmupSteps = Check.NonNegative(numWarmupSteps, "num_warmup_steps");
        // HF divides by T − W without a guard: T = W is a ZeroDivisionError there, refused here.
        Check.That(numTrainingSteps > numWarmupSteps, "num_training_steps", $"({numTrainingSteps}) must exceed num_warmup_steps ({numWarmupSteps}): the decay divides by their difference");
        NumTrainingSteps = numTrainingSteps;
        Power = Check.Positive(power, "power");
    }

    public double At(double t)
    {
        Check.Time(t);
        if (t < NumWarmupSteps) return BaseLr * (t / Math.Max(1, NumWarmupSteps));
        if (t > NumTrainingSteps) return BaseLr * (LrEnd / LrInit);
        double pctRemaining = 1 - (t - NumWarmupSteps) / (NumTrainingSteps - NumWarmupSteps);
        double decay = (LrInit - LrEnd) * Math.Pow(pctRemaining, Power) + LrEnd;
        return BaseLr * (decay / LrInit);
    }
}
