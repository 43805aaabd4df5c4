namespace TrainKit.Explorer.Simulation;

/// <summary>
/// The ill-conditioned quadratic f(x, y) = ½(λ_max·x² + λ_min·y²): the simplest landscape on which a
/// learning rate's stability limit is exact. Gradient descent on it is stable iff lr &lt; 2/λ_max, heavy
/// ball (PyTorch SGD momentum β) iff lr &lt; 2(1+β)/λ_max.
/// </summary>
public sealed record Quadratic(double LambdaMax, double LambdaMin)
{
    public double Loss(double x, double y) => 0.5 * (LambdaMax * x * x + LambdaMin * y * y);

    public (double Gx, double Gy) Gradient(double x, double y) => (LambdaMax * x, LambdaMin * y);

    /// <summary>The largest stable constant lr for gradient descent.</summary>
    public double GradientDescentLimit => 2 / LambdaMax;

    /// <summary>The largest stable constant lr for heavy ball with momentum <paramref name="beta"/>.</summary>
    public double HeavyBallLimit(double beta) => 2 * (1 + beta) / LambdaMax;

    public static Quadratic Checked(double lambdaMax, double lambdaMin)
    {
        if (!(lambdaMin > 0) || !double.IsFinite(lambdaMin)) throw new ArgumentException($"lambda_min must be > 0, got {lambdaMin}", "lambda_min");
        if (!(lambdaMax >= lambdaMin) || !double.IsFinite(lambdaMax)) throw new ArgumentException($"lambda_max must be >= lambda_min ({lambdaMin}), got {lambdaMax}", "lambda_max");
        return new Quadratic(lambdaMax, lambdaMin);
    }
}
