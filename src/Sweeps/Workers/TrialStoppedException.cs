namespace TrainKit.Sweeps.Workers;

/// <summary>Thrown from the trainer's progress callback to stop a trial between steps: the pruner cut it, or the
/// worker lost its lease (another worker now holds the trial and will resume it from its checkpoint).</summary>
public sealed class TrialStoppedException(string message, bool pruned) : Exception(message)
{
    public bool Pruned => pruned;
}
