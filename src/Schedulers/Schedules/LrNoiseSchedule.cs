using TrainKit.Schedulers.Validation;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Schedules;

/// <summary>How timm draws its lr noise.</summary>
public enum LrNoiseType
{
    /// <summary>A standard normal, redrawn until |noise| &lt; noise_pct.</summary>
    Normal,
    /// <summary>Uniform on (−noise_pct, noise_pct).</summary>
    Uniform,
}

/// <summary>
/// timm's learning-rate noise (timm/scheduler/scheduler.py, <c>_add_noise</c>) around any schedule: inside the noise
/// range (t ≥ start, and t &lt; end when an end is given) the lr becomes lr·(1 + noise), with noise drawn from a
/// libtorch generator seeded with noise_seed + t. The draw runs on libtorch's own CPU generator
/// (<c>torch.Generator().manual_seed(seed + t)</c>, then <c>randn(1)</c> or <c>rand(1)</c> as float32, as timm does), so
/// the noise is timm's, number for number, and a pure function of t: resuming or jumping reproduces it.
/// As in timm, the normal draw is a standard normal redrawn until |noise| &lt; noise_pct; timm accepts noise_std but
/// does not use it, and neither does this. t = 0 is never noised (timm only adds noise in step/step_update, never to
/// the lr its constructor sets), and a fractional t takes the noise of ⌊t⌋ (timm's t is a whole epoch or update).
/// Cost: one libtorch generator and one or a few draws per new t (about 7 µs here), shared by the parameter groups of a
/// step; not a closed form, so not under the 1 µs budget of the others.
/// </summary>
public sealed class LrNoiseSchedule : ISchedule
{
    public ISchedule Inner { get; }
    public double RangeStart { get; }
    public double? RangeEnd { get; }
    public LrNoiseType Type { get; }
    public double Pct { get; }
    public long Seed { get; }

    public LrNoiseSchedule(ISchedule inner, double rangeStart, double? rangeEnd = null, LrNoiseType type = LrNoiseType.Normal, double pct = 0.67, long seed = 42)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        RangeStart = Check.NonNegative(rangeStart, "noise_range_t");
        if (rangeEnd is { } end) Check.That(end >= rangeStart, "noise_range_t", $"end ({end}) must not come before its start ({rangeStart})");
        RangeEnd = rangeEnd;
        Type = type;
        // A normal redrawn until |x| < pct never ends when pct is 0.
        Pct = Check.Positive(pct, "noise_pct");
        Seed = seed;
    }

    public double At(double t)
    {
        double lr = Inner.At(t);
        if (t == 0 || t < RangeStart || (RangeEnd is { } end && t >= end)) return lr;
        double noise = Noise((long)Math.Floor(t));
        return lr + lr * noise;
    }

    // Every parameter group draws the same noise at the same t (timm seeds with seed + t alone): the last draw is kept
    // per thread so a scheduler step over several groups creates one generator, not one per group (~7 µs each here).
    [ThreadStatic] static (long Seed, long T, LrNoiseType Type, double Pct, double Noise)? _lastDraw;

    /// <summary>timm's <c>_calculate_noise(t)</c>.</summary>
    public double Noise(long t)
    {
        if (_lastDraw is { } last && last.Seed == Seed && last.T == t && last.Type == Type && last.Pct == Pct) return last.Noise;
        double noise = Draw(t);
        _lastDraw = (Seed, t, Type, Pct, noise);
        return noise;
    }

    double Draw(long t)
    {
        using var scope = NewDisposeScope();
        using var generator = new TorchSharp.torch.Generator(0, CPU);
        generator.manual_seed(Seed + t);
        if (Type == LrNoiseType.Uniform)
            return 2 * (rand([1], generator: generator).item<float>() - 0.5) * Pct;
        // The tail beyond |x| >= pct has mass below 0.5 for any pct >= 0.67 (timm's default); for a tiny pct the loop
        // is long, so it is bounded rather than trusted (timm's "shouldn't spin much").
        for (int draw = 0; draw < 1_000_000; draw++)
        {
            double noise = randn([1], generator: generator).item<float>();
            if (Math.Abs(noise) < Pct) return noise;
        }
        throw new InvalidOperationException($"noise_pct {Pct} is too small: a million normal draws all fell outside it");
    }
}
