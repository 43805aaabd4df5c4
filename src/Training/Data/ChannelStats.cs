namespace TrainKit.Training.Data;

/// <summary>Per-channel mean and standard deviation of a dataset's training pixels, on the 0..1 scale,
/// used to normalise inputs to roughly zero mean and unit variance.</summary>
public sealed record ChannelStats(IReadOnlyList<double> Mean, IReadOnlyList<double> Std)
{
    public int Channels => Mean.Count;

    public void Validate()
    {
        if (Mean.Count == 0 || Mean.Count != Std.Count)
            throw new ArgumentException($"channel statistics need one mean and one std per channel, got {Mean.Count} and {Std.Count}");
        if (Std.Any(s => !(s > 0) || double.IsInfinity(s)))
            throw new ArgumentException($"channel standard deviations must be positive, got [{string.Join(", ", Std)}]");
    }
}
