namespace TrainKit.Training.Data;

/// <summary>Reproducible permutations computed in managed code (SplitMix64 + Fisher–Yates), so an order
/// depends only on its inputs — not on libtorch's RNG implementation, the device or what ran before.</summary>
public static class SeededPermutation
{
    /// <summary>A permutation of 0..count-1 determined by (seed, stream).</summary>
    public static int[] Create(int count, long seed, long stream)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        ulong state = Mix((ulong)seed ^ Mix((ulong)stream + 0x9E3779B97F4A7C15UL));
        for (int i = count - 1; i > 0; i--)
        {
            state += 0x9E3779B97F4A7C15UL;
            int j = (int)UniformBelow(Mix(state), (ulong)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    // SplitMix64's output function (Steele, Lea & Flood 2014).
    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // Lemire's multiply-shift; the bias for n ≤ 2^31 is below 2^-32, irrelevant for shuffling.
    static ulong UniformBelow(ulong random, ulong n) => (ulong)(((UInt128)random * n) >> 64);
}
