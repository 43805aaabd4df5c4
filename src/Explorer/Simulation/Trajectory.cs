namespace TrainKit.Explorer.Simulation;

/// <summary>
/// A 2-D optimization path: positions and losses after 0..n steps. A run that blows up stops early
/// (<see cref="Diverged"/>), so the arrays can be shorter than the schedule.
/// </summary>
public sealed record Trajectory(string Optimizer, double[] X, double[] Y, double[] Loss, bool Diverged)
{
    public double FinalLoss => Loss[^1];

    /// <summary>Beyond this loss a run counts as diverged: the numbers mean nothing any more.</summary>
    public const double DivergenceLoss = 1e12;
}
