namespace TrainKit.Explorer.Simulation;

/// <summary>
/// A 1-D loss with a sharp basin (narrow Gaussian well, high curvature) and a flat basin (wide well, low
/// curvature), inside a gentle bowl so nothing escapes to infinity:
/// f(x) = −d_s·exp(−(x−c_s)²/2w_s²) − d_f·exp(−(x−c_f)²/2w_f²) + k·x².
/// The well's curvature is about d/w², so gradient descent can only settle in a basin whose curvature is
/// below 2/lr: a large lr (a high peak or a restart) throws the iterate out of the sharp basin, and a
/// small lr keeps it wherever it is. That is the whole "flat minima" story in one dimension.
/// </summary>
public sealed record TwoBasinLandscape(
    double SharpCenter = -1.0, double SharpWidth = 0.15, double SharpDepth = 1.0,
    double FlatCenter = 1.0, double FlatWidth = 0.6, double FlatDepth = 0.8, double Bowl = 0.05)
{
    public static TwoBasinLandscape Default { get; } = new();

    /// <summary>Where a run starts: the bottom of the sharp basin, nudged so the instability has something to grow from.</summary>
    public double Start => SharpCenter + 0.02;

    public double SharpCurvature => SharpDepth / (SharpWidth * SharpWidth);
    public double FlatCurvature => FlatDepth / (FlatWidth * FlatWidth);

    public double Loss(double x) =>
        -SharpDepth * Well(x, SharpCenter, SharpWidth) - FlatDepth * Well(x, FlatCenter, FlatWidth) + Bowl * x * x;

    public double Gradient(double x) =>
        SharpDepth * (x - SharpCenter) / (SharpWidth * SharpWidth) * Well(x, SharpCenter, SharpWidth)
        + FlatDepth * (x - FlatCenter) / (FlatWidth * FlatWidth) * Well(x, FlatCenter, FlatWidth)
        + 2 * Bowl * x;

    static double Well(double x, double center, double width) => Math.Exp(-(x - center) * (x - center) / (2 * width * width));

    /// <summary>Which basin a point is in: the nearer well centre, measured in that well's widths.</summary>
    public Basin BasinOf(double x) =>
        Math.Abs(x - SharpCenter) / SharpWidth < Math.Abs(x - FlatCenter) / FlatWidth ? Basin.Sharp : Basin.Flat;

    /// <summary>Gradient descent from <see cref="Start"/> with the schedule's lr at every step.</summary>
    public BasinRun Descend(StepSchedule schedule, double? start = null)
    {
        var xs = new double[schedule.Steps + 1];
        xs[0] = start ?? Start;
        for (int k = 0; k < schedule.Steps; k++)
        {
            // Clamp so a huge lr shows a wild path rather than an overflow; the bowl brings it back.
            xs[k + 1] = Math.Clamp(xs[k] - schedule.Lr[k] * Gradient(xs[k]), -10, 10);
        }
        return new BasinRun(xs, xs.Select(Loss).ToArray(), BasinOf(xs[^1]));
    }
}

public enum Basin { Sharp, Flat }

/// <summary>Positions and losses along a 1-D descent, and the basin it ended in.</summary>
public sealed record BasinRun(double[] X, double[] Loss, Basin Ends)
{
    public double FinalX => X[^1];
}
