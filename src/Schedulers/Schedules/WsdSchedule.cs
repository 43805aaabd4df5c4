using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>The curve of WSD's warmup (rising) and decay (falling) phases.</summary>
public enum WsdShape { Linear, Cosine, OneMinusSqrt }

/// <summary>
/// Warmup-stable-decay (HF <c>get_wsd_schedule</c>): a linear / cosine / 1−√ warmup from min_lr_ratio·base
/// to base over warmup_steps, flat for stable_steps, then a linear / cosine / 1−√ decay back to
/// min_lr_ratio·base over decay_steps, which it keeps. Same expressions as HF's lambda (factor·(1−m)+m in both
/// ramps; the cosine decay uses num_cycles, 0.5 = one half wave).
/// </summary>
public sealed class WsdSchedule : ISchedule
{
    public double BaseLr { get; }
    public double WarmupSteps { get; }
    public double StableSteps { get; }
    public double DecaySteps { get; }
    public double MinLrRatio { get; }
    public WsdShape DecayType { get; }
    public WsdShape WarmupType { get; }
    public double NumCycles { get; }

    public WsdSchedule(double baseLr, double warmupSteps, double stableSteps, double decaySteps, double minLrRatio = 0,
        WsdShape decayType = WsdShape.Cosine, WsdShape warmupType = WsdShape.Linear, double numCycles = 0.5)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        WarmupSteps = Check.NonNegative(warmupSteps, "warmup_steps");
        StableSteps = Check.NonNegative(stableSteps, "stable_steps");
        DecaySteps = Check.NonNegative(decaySteps, "decay_steps");
        MinLrRatio = Check.Within(minLrRatio, 0, 1, "min_lr_ratio");
        DecayType = decayType;
        WarmupType = warmupType;
        NumCycles = Check.Positive(numCycles, "num_cycles");
    }

    public static WsdShape ParseShape(string name, string parameter = "decay_type") => Check.OneOf(name, parameter, "linear", "cosine", "1-sqrt") switch
    {
        "linear" => WsdShape.Linear,
        "cosine" => WsdShape.Cosine,
        _ => WsdShape.OneMinusSqrt,
    };

    public static string ShapeName(WsdShape d) => d switch { WsdShape.Linear => "linear", WsdShape.Cosine => "cosine", _ => "1-sqrt" };

    public double At(double t)
    {
        Check.Time(t);
        double m = MinLrRatio;
        if (t < WarmupSteps)
        {
            double progress = t / Math.Max(1, WarmupSteps);
            double factor = WarmupType switch
            {
                WsdShape.Linear => progress,
                WsdShape.Cosine => 0.5 * (1 - Math.Cos(Math.PI * progress)),
                _ => 1 - Math.Sqrt(1 - progress),
            };
            return BaseLr * Math.Max(0, factor * (1 - m) + m);
        }
        if (t < WarmupSteps + StableSteps) return BaseLr;
        if (t < WarmupSteps + StableSteps + DecaySteps)
        {
            double progress = (t - WarmupSteps - StableSteps) / Math.Max(1, DecaySteps);
            double factor = DecayType switch
            {
                WsdShape.Linear => 1 - progress,
                WsdShape.Cosine => 0.5 * (1 + Math.Cos(Math.PI * NumCycles * 2 * progress)),
                _ => 1 - Math.Sqrt(progress),
            };
            return BaseLr * Math.Max(0, factor * (1 - m) + m);
        }
        return BaseLr * m;
    }
}
