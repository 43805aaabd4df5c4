namespace TrainKit.Training.Statistics;

/// <summary>Kendall's τ-b: (concordant − discordant) / √((n₀ − n₁)(n₀ − n₂)), where n₁ and n₂ count the pairs
/// tied in x and in y. 0 when either variable is constant (no ranking to agree with).</summary>
public static class KendallTau
{
    public static double TauB(IReadOnlyList<(double X, double Y)> pairs)
    {
        long concordant = 0, discordant = 0, tiedOnlyX = 0, tiedOnlyY = 0;
        for (int i = 0; i < pairs.Count; i++)
            for (int j = i + 1; j < pairs.Count; j++)
            {
                int sx = Math.Sign(pairs[i].X - pairs[j].X), sy = Math.Sign(pairs[i].Y - pairs[j].Y);
                if (sx == 0 && sy == 0) continue;
                if (sx == 0) { tiedOnlyX++; continue; }
                if (sy == 0) { tiedOnlyY++; continue; }
                if (sx == sy) concordant++; else discordant++;
            }
        // Pairs not tied in x = concordant + discordant + tied in y only (and the converse).
        double denominator = Math.Sqrt((double)(concordant + discordant + tiedOnlyY) * (concordant + discordant + tiedOnlyX));
        return denominator == 0 ? 0 : (concordant - discordant) / denominator;
    }
}
