namespace TrainKit.Schedulers.Coupling;

/// <summary>How momentum (SGD/RMSprop momentum, Adam/AdamW beta1) moves with the schedule.</summary>
public enum MomentumMode
{
    /// <summary>Use the schedule's own momentum cycle when it has one (OneCycleLR/CyclicLR with
    /// cycle_momentum), otherwise leave momentum alone. The default.</summary>
    Auto,
    /// <summary>Never touch momentum.</summary>
    Fixed,
    /// <summary>m_t = max − (max − base)·clamp(lr_t/lr_ref, 0, 1): high momentum at low lr, like OneCycle, for any schedule.</summary>
    InverseToLr,
    /// <summary>A user function.</summary>
    Custom,
}

/// <summary>Momentum co-scheduling. Build with the static members.</summary>
public sealed class MomentumCoupling
{
    public MomentumMode Mode { get; }
    public double BaseMomentum { get; }
    public double MaxMomentum { get; }
    /// <summary>For <see cref="MomentumMode.Custom"/>: (t, lr_t, lr_ref, m₀) → m_t.</summary>
    public Func<double, double, double, double, double>? Function { get; }

    MomentumCoupling(MomentumMode mode, double baseMomentum, double maxMomentum, Func<double, double, double, double, double>? function)
    { Mode = mode; BaseMomentum = baseMomentum; MaxMomentum = maxMomentum; Function = function; }

    public static MomentumCoupling Auto { get; } = new(MomentumMode.Auto, 0, 0, null);
    public static MomentumCoupling Fixed { get; } = new(MomentumMode.Fixed, 0, 0, null);

    public static MomentumCoupling InverseToLr(double baseMomentum = 0.85, double maxMomentum = 0.95)
    {
        Validation.Check.Within(baseMomentum, 0, 1, "base_momentum");
        Validation.Check.Within(maxMomentum, 0, 1, "max_momentum");
        Validation.Check.That(baseMomentum <= maxMomentum, "base_momentum", $"must be <= max_momentum ({maxMomentum}), got {baseMomentum}");
        return new(MomentumMode.InverseToLr, baseMomentum, maxMomentum, null);
    }

    public static MomentumCoupling Custom(Func<double, double, double, double, double> function) =>
        new(MomentumMode.Custom, 0, 0, function ?? throw new ArgumentNullException(nameof(function)));

    /// <summary>The momentum at t, or null when this coupling leaves momentum alone.</summary>
    public double? MomentumAt(double t, double lr, double lrRef, double m0, Schedules.IMomentumSchedule? own) => Mode switch
    {
        MomentumMode.Fixed => null,
        MomentumMode.Auto => own is { CyclesMomentum: true } ? own.MomentumAt(t) : null,
        MomentumMode.InverseToLr => MaxMomentum - (MaxMomentum - BaseMomentum) * Math.Clamp(lrRef == 0 ? 0 : lr / lrRef, 0, 1),
        _ => Function!(t, lr, lrRef, m0),
    };
}
