namespace TrainKit.Explorer.Simulation;

/// <summary>
/// SGD on <see cref="Quadratic"/> with gradient noise g = ∇f + σ·ξ, ξ ~ N(0, I), averaged over several
/// seeded runs. With a constant lr the loss stalls at a noise floor (per coordinate
/// E f = lr·σ²/(2(2 − lr·λ))), while a decaying lr keeps lowering it (Robbins–Monro: Σ lr = ∞, Σ lr² &lt; ∞).
/// </summary>
public sealed record NoisyQuadratic(Quadratic Quadratic, double Noise, int Runs = 16, int Seed = 1234)
{
    /// <summary>The mean loss over <see cref="Runs"/> seeded runs after 0..n steps of SGD.</summary>
    public double[] MeanLoss(StepSchedule schedule, double x0, double y0)
    {
        var mean = new double[schedule.Steps + 1];
        for (int run = 0; run < Runs; run++)
        {
            // The same seeds for every schedule, so two curves differ only by their lr.
            var random = new Random(Seed + run);
            double x = x0, y = y0;
            mean[0] += Quadratic.Loss(x, y);
            for (int k = 0; k < schedule.Steps; k++)
            {
                var (gx, gy) = Quadratic.Gradient(x, y);
                x -= schedule.Lr[k] * (gx + Noise * Gaussian(random));
                y -= schedule.Lr[k] * (gy + Noise * Gaussian(random));
                double loss = Quadratic.Loss(x, y);
                mean[k + 1] += double.IsFinite(loss) ? Math.Min(loss, Trajectory.DivergenceLoss) : Trajectory.DivergenceLoss;
            }
        }
        for (int k = 0; k < mean.Length; k++) mean[k] /= Runs;
        return mean;
    }

    /// <summary>The stationary mean loss of constant-lr SGD (infinite when the lr is unstable).</summary>
    public double NoiseFloor(double lr)
    {
        double Floor(double lambda) => lr * lambda >= 2 ? double.PositiveInfinity : lr * Noise * Noise / (2 * (2 - lr * lambda));
        return Floor(Quadratic.LambdaMax) + Floor(Quadratic.LambdaMin);
    }

    /// <summary>Box–Muller: a standard normal draw.</summary>
    static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
