namespace TrainKit.Training.Loop;

/// <summary>
/// Decides when a run has diverged: a non-finite loss, or a loss above <c>factor</c> times a healthy reference.
/// After a short burn-in the reference is the best smoothed loss seen so far; during the burn-in, when the smoothed
/// loss is still settling and early noise must not trip it, the reference is the first loss (with the factor
/// squared), so a run that explodes
/// in its first steps (a loss of 5e11 by step 20) is caught before any checkpoint of it counts as "last good".
/// </summary>
public sealed class DivergenceGuard(double explodeFactor = 10.0, int burnInSteps = 20, double smoothing = 0.9)
{
    double _smoothed = double.NaN;
    double _best = double.PositiveInfinity;
    int _seen;

    /// <summary>The first finite loss this guard saw (NaN before any): where the run started.</summary>
    public double FirstLoss { get; private set; } = double.NaN;

    /// <summary>Returns null while healthy, else the reason the run diverged.</summary>
    public string? Check(double loss)
    {
        if (!double.IsFinite(loss))
            return $"the loss is {loss}";
        _seen++;
        if (double.IsNaN(FirstLoss)) FirstLoss = loss;
        // The first loss is one noisy batch (20x swings happen on small batches), so the burn-in test is looser,
        // factor squared: it is there for blow-ups by orders of magnitude, which it catches at once.
        double burnInFactor = explodeFactor * explodeFactor;
        if (explodeFactor > 0 && _seen <= burnInSteps && FirstLoss > 0 && loss > burnInFactor * FirstLoss)
            return $"the loss {loss:G4} exploded past {burnInFactor:G4}x the first loss {FirstLoss:G4} during the {burnInSteps}-step burn-in";
        _smoothed = double.IsNaN(_smoothed) ? loss : smoothing * _smoothed + (1 - smoothing) * loss;
        if (_seen > burnInSteps && explodeFactor > 0 && loss > explodeFactor * _best)
            return $"the loss {loss:G4} exploded past {explodeFactor}x the best smoothed loss {_best:G4}";
        _best = Math.Min(_best, _smoothed);
        return null;
    }
}
