namespace TrainKit.Training.Statistics;

/// <summary>Kendall's partial τ (Kendall 1942): the rank agreement of x and y once z is held fixed,
/// τ_xy·z = (τ_xy − τ_xz·τ_yz) / √((1 − τ_xz²)(1 − τ_yz²)), each coefficient a τ-b. Jiang et al. 2020 ask it of a
/// measure and the generalization gap with z = the final train loss: does the measure know more than the loss?
/// NaN when z ranks x or y perfectly (|τ| = 1): then nothing of x or y is left once z is known.</summary>
public static class PartialKendallTau
{
    public static double Of(IReadOnlyList<(double X, double Y, double Z)> points)
    {
        double xy = KendallTau.TauB([.. points.Select(p => (p.X, p.Y))]);
        double xz = KendallTau.TauB([.. points.Select(p => (p.X, p.Z))]);
        double yz = KendallTau.TauB([.. points.Select(p => (p.Y, p.Z))]);
        double denominator = Math.Sqrt((1 - xz * xz) * (1 - yz * yz));
        return denominator == 0 ? double.NaN : (xy - xz * yz) / denominator;
    }
}
