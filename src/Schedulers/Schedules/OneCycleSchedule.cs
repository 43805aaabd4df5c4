using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>How OneCycleLR and friends interpolate inside a phase.</summary>
public enum AnnealStrategy { Cos, Linear }

/// <summary>
/// PyTorch OneCycleLR for one parameter group (its own max_lr). Two phases: initial → max over
/// pct_start·T − 1 steps, then max → min; three phases: initial → max → initial → min. Momentum moves
/// the other way (max_momentum ↔ base_momentum). The optimizer's own lr is ignored, as in PyTorch:
/// initial = max_lr/div_factor, min = initial/final_div_factor. Phase ends and the anneal functions are
/// PyTorch's expressions, so the numbers match to rounding.
/// </summary>
public sealed class OneCycleSchedule : ISchedule, IMomentumSchedule, IBoundedSchedule, IReferenceLr
{
    public double MaxLr { get; }
    public int TotalSteps { get; }
    public double PctStart { get; }
    public AnnealStrategy Anneal { get; }
    public double DivFactor { get; }
    public double FinalDivFactor { get; }
    public bool ThreePhase { get; }
    public double BaseMomentum { get; }
    public double MaxMomentum { get; }
    public bool CyclesMomentum { get; }
    public double EndTime => TotalSteps;
    /// <summary>The couplings' reference: max_lr (the optimizer's own lr plays no part in OneCycleLR).</summary>
    public double ReferenceLr => MaxLr;

    readonly (double End, double StartLr, double EndLr, double StartMomentum, double EndMomentum)[] _phases;

    public OneCycleSchedule(double maxLr, int totalSteps, double pctStart = 0.3, AnnealStrategy anneal = AnnealStrategy.Cos,
        double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false, double baseMomentum = 0.85, double maxMomentum = 0.95, bool cycleMomentum = true)
    {
        MaxLr = Check.Positive(maxLr, "max_lr");
        TotalSteps = Check.PositiveInt(totalSteps, "total_steps");
        PctStart = Check.Between(pctStart, 0, 1, "pct_start");
        Anneal = anneal;
        DivFactor = Check.Positive(divFactor, "div_factor");
        FinalDivFactor = Check.Positive(finalDivFactor, "final_div_factor");
        ThreePhase = threePhase;
        BaseMomentum = Check.Within(baseMomentum, 0, 1, "base_momentum");
        MaxMomentum = Check.Within(maxMomentum, 0, 1, "max_momentum");
        CyclesMomentum = cycleMomentum;
        Check.That(baseMomentum <= maxMomentum, "base_momentum", $"must be <= max_momentum ({maxMomentum}), got {baseMomentum}");

        double initial = maxLr / divFactor, min = initial / finalDivFactor;
        double firstEnd = pctStart * totalSteps - 1;
        Check.That(firstEnd > 0, "pct_start", $"leaves no warmup steps: pct_start·total_steps − 1 must be > 0, got {firstEnd}");
        _phases = threePhase
            ? [(firstEnd, initial, maxLr, maxMomentum, baseMomentum),
               (2 * pctStart * totalSteps - 2, maxLr, initial, baseMomentum, maxMomentum),
               (totalSteps - 1, initial, min, maxMomentum, maxMomentum)]
            : [(firstEnd, initial, maxLr, maxMomentum, baseMomentum),
               (totalSteps - 1, maxLr, min, baseMomentum, maxMomentum)];
        Check.That(_phases[^2].End < totalSteps - 1, "pct_start", $"is too large for total_steps = {totalSteps}: the last phase would be empty");
    }

    public double At(double t) { var (lr, _) = Evaluate(t); return lr; }

    public double MomentumAt(double t) { var (_, m) = Evaluate(t); return m; }

    (double Lr, double Momentum) Evaluate(double t)
    {
        Check.Time(t);
        if (t > TotalSteps)
            throw new ArgumentException($"total_steps: tried to step to {t}, past total_steps = {TotalSteps} (OneCycleLR allows t in [0, total_steps])", "total_steps");
        double start = 0;
        for (int i = 0; i < _phases.Length; i++)
        {
            var p = _phases[i];
            if (t <= p.End || i == _phases.Length - 1)
            {
                double pct = (t - start) / (p.End - start);
                return (AnnealFunctions.Apply(Anneal, p.StartLr, p.EndLr, pct), AnnealFunctions.Apply(Anneal, p.StartMomentum, p.EndMomentum, pct));
            }
            start = p.End;
        }
        throw new InvalidOperationException("unreachable");
    }
}

/// <summary>PyTorch's OneCycleLR anneal functions, written with the same operation order.</summary>
public static class AnnealFunctions
{
    public static double Apply(AnnealStrategy strategy, double start, double end, double pct) => strategy == AnnealStrategy.Cos
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;

    public static AnnealStrategy Parse(string name) =>
        Check.OneOf(name, "anneal_strategy", "cos", "linear") == "cos" ? AnnealStrategy.Cos : AnnealStrategy.Linear;
}
