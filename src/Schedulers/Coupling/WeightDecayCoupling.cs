namespace TrainKit.Schedulers.Coupling;

/// <summary>How weight decay moves with the learning rate.</summary>
public enum WeightDecayMode
{
    /// <summary>PyTorch's default: weight_decay never changes, so the decay per step, lr·wd, follows the lr.</summary>
    Fixed,
    /// <summary>wd_t = wd₀·lr_t/lr_ref: scaled by the same multiplier as the lr.</summary>
    FollowSchedule,
    /// <summary>wd_t = wd₀·min(lr_ref/lr_t, max_factor), so lr·wd stays constant (AdamW's "decoupled" intent when lr
    /// moves) except where the lr is below lr_ref/max_factor: there the factor is capped (default 10), so a warmup
    /// starting near 0 does not push wd to wd₀·1000.</summary>
    ConstantProduct,
    /// <summary>A user function.</summary>
    Custom,
}

/// <summary>
/// Weight-decay co-scheduling. lr_ref is the group's reference lr, the schedule's peak: max_lr for OneCycleLR and
/// CyclicLR, the peak of Noam, the largest child reference in SequentialLR, the optimizer's initial lr for every
/// other kind. wd₀ is the group's weight decay when the scheduler was built. Build with the static members.
/// The README's schedulers section has the per-optimizer table of what each mode does to the decay per step.
/// </summary>
public sealed class WeightDecayCoupling
{
    public WeightDecayMode Mode { get; }
    /// <summary>For <see cref="WeightDecayMode.Custom"/>: (t, lr_t, lr_ref, wd₀) → wd_t.</summary>
    public Func<double, double, double, double, double>? Function { get; }
    /// <summary>constant_product: the largest factor wd_t/wd₀.</summary>
    public double MaxFactor { get; }

    /// <summary>constant_product's default cap on wd_t/wd₀.</summary>
    public const double DefaultMaxFactor = 10;

    WeightDecayCoupling(WeightDecayMode mode, Func<double, double, double, double, double>? function, double maxFactor = DefaultMaxFactor)
    { Mode = mode; Function = function; MaxFactor = maxFactor; }

    public static WeightDecayCoupling Fixed { get; } = new(WeightDecayMode.Fixed, null);
    public static WeightDecayCoupling FollowSchedule { get; } = new(WeightDecayMode.FollowSchedule, null);
    /// <summary>constant_product with the default cap (<see cref="DefaultMaxFactor"/>).</summary>
    public static WeightDecayCoupling ConstantProduct { get; } = new(WeightDecayMode.ConstantProduct, null);
    /// <summary>constant_product with cap <paramref name="maxFactor"/> (≥ 1; 1 means wd never grows).</summary>
    public static WeightDecayCoupling ConstantProductCapped(double maxFactor) =>
        new(WeightDecayMode.ConstantProduct, null, Validation.Check.AtLeast(maxFactor, 1, "weight_decay.max_factor"));
    public static WeightDecayCoupling Custom(Func<double, double, double, double, double> function) =>
        new(WeightDecayMode.Custom, function ?? throw new ArgumentNullException(nameof(function)));

    /// <summary>The weight decay at time t for a group whose lr is <paramref name="lr"/>.</summary>
    public double WeightDecayAt(double t, double lr, double lrRef, double wd0) => Mode switch
    {
        WeightDecayMode.Fixed => wd0,
        WeightDecayMode.FollowSchedule => lrRef == 0 ? wd0 : wd0 * (lr / lrRef),
        // At lr = 0 no product can be kept and the step does nothing anyway; keep wd₀ rather than ∞.
        WeightDecayMode.ConstantProduct => lr == 0 ? wd0 : wd0 * Math.Min(lrRef / lr, MaxFactor),
        _ => Function!(t, lr, lrRef, wd0),
    };
}
