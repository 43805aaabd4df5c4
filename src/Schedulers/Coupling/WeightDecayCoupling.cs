namespace TrainKit.Schedulers.Coupling;

/// <summary>How weight decay moves with the learning rate.</summary>
public enum WeightDecayMode
{
    /// <summary>PyTorch's default: weight_decay never changes, so the decay per step, lr·wd, follows the lr.</summary>
    Fixed,
    /// <summary>wd_t = wd₀·lr_t/lr_ref: scaled by the same multiplier as the lr.</summary>
    FollowSchedule,
    /// <summary>wd_t = c/lr_t with c = wd₀·lr_ref, so lr·wd stays constant (AdamW's "decoupled" intent when lr moves).</summary>
    ConstantProduct,
    /// <summary>A user function.</summary>
    Custom,
}

/// <summary>
/// Weight-decay co-scheduling. lr_ref is the group's base lr (the optimizer's initial lr), wd₀ the group's
/// weight decay when the scheduler was built. Build with the static members.
/// </summary>
public sealed class WeightDecayCoupling
{
    public WeightDecayMode Mode { get; }
    /// <summary>For <see cref="WeightDecayMode.Custom"/>: (t, lr_t, lr_ref, wd₀) → wd_t.</summary>
    public Func<double, double, double, double, double>? Function { get; }

    WeightDecayCoupling(WeightDecayMode mode, Func<double, double, double, double, double>? function) { Mode = mode; Function = function; }

    public static WeightDecayCoupling Fixed { get; } = new(WeightDecayMode.Fixed, null);
    public static WeightDecayCoupling FollowSchedule { get; } = new(WeightDecayMode.FollowSchedule, null);
    public static WeightDecayCoupling ConstantProduct { get; } = new(WeightDecayMode.ConstantProduct, null);
    public static WeightDecayCoupling Custom(Func<double, double, double, double, double> function) =>
        new(WeightDecayMode.Custom, function ?? throw new ArgumentNullException(nameof(function)));

    /// <summary>The weight decay at time t for a group whose lr is <paramref name="lr"/>.</summary>
    public double WeightDecayAt(double t, double lr, double lrRef, double wd0) => Mode switch
    {
        WeightDecayMode.Fixed => wd0,
        WeightDecayMode.FollowSchedule => lrRef == 0 ? wd0 : wd0 * (lr / lrRef),
        // At lr = 0 no product can be kept and the step does nothing anyway; keep wd₀ rather than ∞.
        WeightDecayMode.ConstantProduct => lr == 0 ? wd0 : wd0 * lrRef / lr,
        _ => Function!(t, lr, lrRef, wd0),
    };
}
