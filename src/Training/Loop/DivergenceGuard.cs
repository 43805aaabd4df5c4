namespace TrainKit.Training.Loop;

/// <summary>
/// Decides when a run has diverged: a non-finite loss, or a loss above <c>factor</c> times the best
/// smoothed loss seen so far (after a short burn-in, so early noise does not trip it).
/// </summary>
public sealed class DivergenceGuard(double explodeFactor = 10.0, int burnInSteps = 20, double smoothing = 0.9)
{
    double _smoothed = double.NaN;
    double _best = double.PositiveInfinity;
    int _seen;

    /// <summary>Returns null while healthy, else the reason the run diverged.</summary>
    public string? Check(double loss)
    {
        if (!double.IsFinite(loss))
            return $"the loss is {loss}";
        _seen++;
        _smoothed = double.IsNaN(_smoothed) ? loss : smoothing * _smoothed + (1 - smoothing) * loss;
        if (_seen > burnInSteps && explodeFactor > 0 && loss > explodeFactor * _best)
            return $"the loss {loss:G4} exploded past {explodeFactor}x the best smoothed loss {_best:G4}";
        _best = Math.Min(_best, _smoothed);
        return null;
    }
}
