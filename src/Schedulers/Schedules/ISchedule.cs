namespace TrainKit.Schedulers.Schedules;

/// <summary>
/// A learning-rate schedule as a pure, closed-form function of time: the value at time <c>t</c>
/// (in the schedule's own unit, steps or epochs; fractional t is allowed) for one parameter group.
/// Implementations are immutable; stepping and resuming only move a clock, never state in here.
/// </summary>
public interface ISchedule
{
    /// <summary>The learning rate at time <paramref name="t"/> (t >= 0).</summary>
    double At(double t);
}

/// <summary>A schedule that also prescribes momentum (SGD momentum / Adam beta1), like OneCycleLR and CyclicLR.</summary>
public interface IMomentumSchedule
{
    /// <summary>Whether the momentum cycle is switched on (PyTorch's cycle_momentum).</summary>
    bool CyclesMomentum { get; }

    /// <summary>The momentum at time <paramref name="t"/>.</summary>
    double MomentumAt(double t);
}

/// <summary>A schedule that cannot be evaluated past a known end (OneCycleLR).</summary>
public interface IBoundedSchedule
{
    /// <summary>The last valid time.</summary>
    double EndTime { get; }
}

/// <summary>
/// A schedule whose natural reference lr is not the optimizer's lr: the couplings (weight decay, momentum)
/// compare the current lr with this peak. OneCycleLR and CyclicLR take their lrs from max_lr, Noam peaks at
/// base·d_model^-½·W^-½. Schedules without it peak at (and are referenced to) the group's base lr.
/// </summary>
public interface IReferenceLr
{
    /// <summary>The schedule's peak lr.</summary>
    double ReferenceLr { get; }
}
