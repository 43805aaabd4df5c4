namespace TrainKit.Explorer.Simulation;

/// <summary>
/// What a simulation needs from a schedule, step by step: the lr applied by optimizer step k (k = 0..n-1)
/// and, when the schedule co-schedules it, the momentum / beta1 at that step. Built from the real scheduler
/// (see <see cref="Schedules.SampledSchedule"/>) or, in tests, from a plain function.
/// </summary>
public sealed record StepSchedule(double[] Lr, double[]? Momentum = null)
{
    public int Steps => Lr.Length;

    public double MomentumAt(int step, double fallback) => Momentum is { } m ? m[step] : fallback;

    public static StepSchedule Constant(double lr, int steps) => new(Enumerable.Repeat(lr, steps).ToArray());

    public static StepSchedule Of(Func<int, double> lr, int steps) => new(Enumerable.Range(0, steps).Select(lr).ToArray());
}
