namespace TrainKit.Sweeps.Pruning;

/// <summary>
/// Hyperband's brackets over ASHA (Li et al. 2018, run asynchronously as in Li et al. 2020). Bracket b starts at rung b
/// of the shared grid (min_resource × reduction_factor^b): bracket 0 is plain ASHA, later brackets give every trial
/// more resource before the first cut, a hedge against a metric that ranks trials badly early on.
/// </summary>
/// <remarks>
/// Trials are split in proportion to the paper's bracket sizes (Algorithm 1): with K rungs, s_max = K and bracket b
/// having s = K − b rungs, n_b = ⌈(s_max + 1)·η^s / (s + 1)⌉ (Optuna's HyperbandPruner weights its brackets the same
/// way). The split is by trial position, a smooth weighted round-robin: position p goes to the bracket furthest below
/// its share of the first p + 1 trials (ties to the lower bracket). Optuna hashes study name and trial number and
/// Ray Tune draws at random; a position depends on nothing else, so the registration, every worker and the pre-flight
/// check agree on a trial's bracket, and every prefix of the trials is split as evenly as whole trials allow.
/// </remarks>
public static class HyperbandBrackets
{
    /// <summary>n_b for each bracket in use (b = 0 … brackets − 1).</summary>
    public static IReadOnlyList<int> Weights(AshaConfig asha)
    {
        int k = asha.Rungs().Count;
        return [.. Enumerable.Range(0, asha.Brackets).Select(b =>
        {
            int s = k - b;
            return (int)Math.Ceiling((k + 1) * Math.Pow(asha.ReductionFactor, s) / (s + 1) - 1e-9);
        })];
    }

    /// <summary>The bracket of the trial at <paramref name="position"/> (0 for plain ASHA).</summary>
    public static int BracketOf(this AshaConfig asha, int position)
    {
        if (position < 0) throw new ArgumentOutOfRangeException(nameof(position), position, "a trial position is 0 or more");
        if (asha.Brackets == 1) return 0;
        var weights = Weights(asha);
        double total = weights.Sum();
        var counts = new int[weights.Count];
        int chosen = 0;
        for (int p = 0; p <= position; p++)
        {
            chosen = 0;
            double most = double.NegativeInfinity;
            for (int b = 0; b < weights.Count; b++)
            {
                double deficit = (p + 1) * weights[b] / total - counts[b];
                if (deficit > most + 1e-12) (most, chosen) = (deficit, b);
            }
            counts[chosen]++;
        }
        return chosen;
    }

    /// <summary>The rungs (indices into <see cref="AshaConfig.Rungs"/>) a trial of <paramref name="bracket"/> reports
    /// at: b, b + 1, …; none for the last bracket when there is one per rung start plus one.</summary>
    public static IReadOnlyList<int> RungsOf(this AshaConfig asha, int bracket) =>
        [.. Enumerable.Range(bracket, Math.Max(0, asha.Rungs().Count - bracket))];
}
