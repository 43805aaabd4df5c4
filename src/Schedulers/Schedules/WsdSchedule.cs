using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>How WSD's decay phase falls from 1 to min_lr_ratio.</summary>
public enum WsdDecay { Linear, Cosine, OneMinusSqrt }

/// <summary>
/// Warmup-stable-decay (HF <c>get_wsd_schedule</c>): linear warmup to base over warmup_steps, flat for
/// stable_steps, then a linear / cosine / 1−√ decay to min_lr_ratio·base over decay_steps, which it keeps.
/// As in HF, the warmup also starts at min_lr_ratio (factor·(1−m)+m).
/// </summary>
public sealed class WsdSchedule : ISchedule
{
    public double BaseLr { get; }
    public double WarmupSteps { get; }
    public double StableSteps { get; }
    public double DecaySteps { get; }
    public double MinLrRatio { get; }
    public WsdDecay DecayType { get; }

    public WsdSchedule(double baseLr, double warmupSteps, double stableSteps, double decaySteps, double minLrRatio = 0, WsdDecay decayType = WsdDecay.Cosine)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        WarmupSteps = Check.NonNegative(warmupSteps, "warmup_steps");
        StableSteps = Check.NonNegative(stableSteps, "stable_steps");
        DecaySteps = Check.NonNegative(decaySteps, "decay_steps");
        MinLrRatio = Check.Within(minLrRatio, 0, 1, "min_lr_ratio");
        DecayType = decayType;
    }

    public static WsdDecay ParseDecay(string name) => Check.OneOf(name, "decay_type", "linear", "cosine", "1-sqrt") switch
    {
        "linear" => WsdDecay.Linear,
        "cosine" => WsdDecay.Cosine,
        _ => WsdDecay.OneMinusSqrt,
    };

    public static string DecayName(WsdDecay d) => d switch { WsdDecay.Linear => "linear", WsdDecay.Cosine => "cosine", _ => "1-sqrt" };

    public double At(double t)
    {
        Check.Time(t);
        double m = MinLrRatio;
        if (t < WarmupSteps)
            return BaseLr * Math.Max(0, t / Math.Max(1, WarmupSteps) * (1 - m) + m);
        if (t < WarmupSteps + StableSteps) return BaseLr;
        if (t < WarmupSteps + StableSteps + DecaySteps)
        {
            double progress = (t - WarmupSteps - StableSteps) / Math.Max(1, DecaySteps);
            double factor = DecayType switch
            {
                WsdDecay.Linear => 1 - progress,
                WsdDecay.Cosine => 0.5 * (1 + Math.Cos(Math.PI * progress)),
                _ => 1 - Math.Sqrt(progress),
            };
            return BaseLr * Math.Max(0, factor * (1 - m) + m);
        }
        return BaseLr * m;
    }
}
