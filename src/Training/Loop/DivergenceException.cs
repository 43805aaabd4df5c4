namespace TrainKit.Training.Loop;

/// <summary>The loss became NaN/Inf or exploded. The CLI maps it to exit code 3; the last good checkpoint
/// is kept.</summary>
public sealed class DivergenceException(string message, long step, double loss, string? lastCheckpoint)
    : Exception(message)
{
    public long Step { get; } = step;
    public double Loss { get; } = loss;
    public string? LastCheckpoint { get; } = lastCheckpoint;
}
