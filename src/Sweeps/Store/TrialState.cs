namespace TrainKit.Sweeps.Store;

/// <summary>Where a trial stands. Stored as its lower-case name (the schema's CHECK constraint lists them).</summary>
public enum TrialState { Pending, Running, Done, Failed, Pruned }

public static class TrialStates
{
    public static string Name(TrialState state) => state.ToString().ToLowerInvariant();

    public static TrialState Parse(string text) => text switch
    {
        "pending" => TrialState.Pending,
        "running" => TrialState.Running,
        "done" => TrialState.Done,
        "failed" => TrialState.Failed,
        "pruned" => TrialState.Pruned,
        _ => throw new InvalidDataException($"trial store holds an unknown trial state '{text}'"),
    };
}
