using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>CyclicLR's amplitude policies.</summary>
public enum CyclicMode { Triangular, Triangular2, ExpRange }

/// <summary>What a custom CyclicLR <c>scale_fn</c> is given (PyTorch's <c>scale_mode</c>): the cycle number (1, 2, ...)
/// or the step count.</summary>
public enum CyclicScaleMode { Cycle, Iterations }

/// <summary>
/// PyTorch CyclicLR for one group (Smith 2017): the lr goes base_lr → max_lr over step_size_up and back
/// over step_size_down; triangular2 halves the amplitude every cycle, exp_range scales it by gamma^t.
/// Momentum cycles inversely (max_momentum at base_lr). Written with PyTorch's expressions (cycle,
/// x, scale factor); TorchSharp 0.107's own CyclicLR moves momentum the wrong way.
/// </summary>
public sealed class CyclicSchedule : ISchedule, IMomentumSchedule, IReferenceLr
{
    public double BaseLr { get; }
    public double MaxLr { get; }
    public double StepSizeUp { get; }
    public double StepSizeDown { get; }
    public CyclicMode Mode { get; }
    public double Gamma { get; }
    public double BaseMomentum { get; }
    public double MaxMomentum { get; }
    public bool CyclesMomentum { get; }
    /// <summary>PyTorch's <c>scale_fn</c> (from code, not JSON): when set it replaces <see cref="Mode"/>'s amplitude.</summary>
    public Func<double, double>? ScaleFn { get; }
    public CyclicScaleMode ScaleMode { get; }
    /// <summary>The couplings' reference: max_lr (the optimizer's own lr plays no part in CyclicLR).</summary>
    public double ReferenceLr => MaxLr;

    readonly double _totalSize, _stepRatio;

    public CyclicSchedule(double baseLr, double maxLr, double stepSizeUp = 2000, double? stepSizeDown = null,
        CyclicMode mode = CyclicMode.Triangular, double gamma = 1.0, double baseMomentum = 0.8, double maxMomentum = 0.9, bool cycleMomentum = true,
        Func<double, double>? scaleFn = null, CyclicScaleMode scaleMode = CyclicScaleMode.Cycle)
    {
        BaseLr = Check.NonNegative(baseLr, "base_lr");
        MaxLr = Check.NonNegative(maxLr, "max_lr");
        Check.That(maxLr >= baseLr, "max_lr", $"must be >= base_lr ({baseLr}), got {maxLr}");
        StepSizeUp = Check.Positive(stepSizeUp, "step_size_up");
        StepSizeDown = Check.Positive(stepSizeDown ?? stepSizeUp, "step_size_down");
        Mode = mode;
        Gamma = Check.AboveUpTo(gamma, 0, 1, "gamma");
        BaseMomentum = Check.Within(baseMomentum, 0, 1, "base_momentum");
        MaxMomentum = Check.Within(maxMomentum, 0, 1, "max_momentum");
        CyclesMomentum = cycleMomentum;
        ScaleFn = scaleFn;
        ScaleMode = scaleMode;
        Check.That(baseMomentum <= maxMomentum, "base_momentum", $"must be <= max_momentum ({maxMomentum}), got {baseMomentum}");
        _totalSize = StepSizeUp + StepSizeDown;
        _stepRatio = StepSizeUp / _totalSize;
    }

    public static CyclicMode ParseMode(string name) => Check.OneOf(name, "mode", "triangular", "triangular2", "exp_range") switch
    {
        "triangular" => CyclicMode.Triangular,
        "triangular2" => CyclicMode.Triangular2,
        _ => CyclicMode.ExpRange,
    };

    public static string ModeName(CyclicMode m) => m switch { CyclicMode.Triangular => "triangular", CyclicMode.Triangular2 => "triangular2", _ => "exp_range" };

    /// <summary>Where t is inside its cycle (0 → 1 rising, 1 → 0 falling) and the amplitude scale.</summary>
    (double ScaleFactor, double Amplitude) Position(double t)
    {
        Check.Time(t);
        double cycle = Math.Floor(1 + t / _totalSize);
        double x = 1.0 + t / _totalSize - cycle;
        double scaleFactor = x <= _stepRatio ? x / _stepRatio : (x - 1) / (_stepRatio - 1);
        double amplitude = ScaleFn is { } fn ? fn(ScaleMode == CyclicScaleMode.Cycle ? cycle : t) : Mode switch
        {
            CyclicMode.Triangular => 1.0,
            CyclicMode.Triangular2 => 1 / Math.Pow(2.0, cycle - 1),
            _ => Math.Pow(Gamma, t),
        };
        return (scaleFactor, amplitude);
    }

    public double At(double t)
    {
        var (s, a) = Position(t);
        return BaseLr + (MaxLr - BaseLr) * s * a;
    }

    public double MomentumAt(double t)
    {
        var (s, a) = Position(t);
        return MaxMomentum - (MaxMomentum - BaseMomentum) * s * a;
    }
}
