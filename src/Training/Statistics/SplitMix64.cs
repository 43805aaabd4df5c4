namespace TrainKit.Training.Statistics;

/// <summary>Steele, Lea &amp; Flood's SplitMix64: a tiny generator whose exact output is easy to reproduce in
/// another language (tools/stats/reference.py does), so bootstrap intervals can be pinned to fixtures.
/// <see cref="Random"/> is not specified to be stable across .NET versions.</summary>
public sealed class SplitMix64(ulong seed)
{
    ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>An index in [0, n): the modulo bias is below n / 2⁶⁴, far under any bootstrap's resolution.</summary>
    public int NextIndex(int n) => (int)(Next() % (ulong)n);
}
