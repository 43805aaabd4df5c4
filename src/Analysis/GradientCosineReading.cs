namespace TrainKit.Analysis;

/// <summary>The gradient-cosine probe's totals at a read point.</summary>
/// <param name="Count">Cosines computed so far (pairs of successive non-zero gradients).</param>
/// <param name="Sum">Their sum; the mean over an interval is the difference of two readings' sums over that of their counts.</param>
/// <param name="Last">The latest cosine, or null before the first.</param>
public sealed record GradientCosineReading(int Count, double Sum, double? Last)
{
    public double? Mean => Count == 0 ? null : Sum / Count;
}
