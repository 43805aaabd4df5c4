using System.Diagnostics;
using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>A 1-D loss curve: loss at each coordinate (α along a direction, or the interpolation weight).</summary>
/// <param name="BatchNorm">How BatchNorm statistics were set at each point (see <see cref="BatchNormStatistics.Describe"/>).</param>
public sealed record LossCurve(string Kind, double[] Coordinates, double[] Losses, double Seconds, string BatchNorm = "no BatchNorm")
{
    public string ToCsv()
    {
        var sb = new StringBuilder("alpha,loss,bn_statistics\n");
        for (int i = 0; i < Coordinates.Length; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{Coordinates[i]:R},{Losses[i]:R},{BatchNorm}\n");
        return sb.ToString();
    }
}

/// <summary>A 2-D loss surface: Losses[i, j] at w + Alphas[i]·d₁ + Betas[j]·d₂.</summary>
public sealed record LossSurface(double[] Alphas, double[] Betas, double[,] Losses, double Seconds, string BatchNorm = "no BatchNorm")
{
    public string ToCsv()
    {
        var sb = new StringBuilder("alpha,beta,loss,bn_statistics\n");
        for (int i = 0; i < Alphas.Length; i++)
            for (int j = 0; j < Betas.Length; j++)
                sb.Append(CultureInfo.InvariantCulture, $"{Alphas[i]:R},{Betas[j]:R},{Losses[i, j]:R},{BatchNorm}\n");
        return sb.ToString();
    }
}

/// <summary>
/// Loss-landscape slices (Li et al. 2018) over the fixed analysis set, model in eval mode: 1-D and 2-D slices along
/// (filter-normalized) directions around the current weights, and linear interpolation between two solutions
/// (Goodfellow et al. 2015). By default BatchNorm statistics are re-estimated at every point from the first
/// <c>statisticsBatches</c> analysis batches (<see cref="BatchNormMode"/>); the mode is recorded in the CSV. The weights
/// and buffers are always restored.
/// </summary>
public static class LossLandscape
{
    /// <summary>Default number of analysis batches BatchNorm statistics are re-estimated from at each point.</summary>
    public const int DefaultStatisticsBatches = 4;

    /// <summary>The loss at the model's current weights, with BatchNorm statistics re-estimated first when asked (and
    /// put back afterwards).</summary>
    static double PointLoss(ModelHessian objective, BatchNormMode mode, int statisticsBatches)
    {
        if (mode == BatchNormMode.Fixed || BatchNormStatistics.Layers(objective.Model).Count == 0) return objective.Loss();
        using var buffers = BufferSnapshot.Capture(objective.Model);
        try
        {
            BatchNormStatistics.Reestimate(objective.Model, objective.Batches, statisticsBatches);
            return objective.Loss();
        }
        finally { buffers.Restore(); }
    }

    static double PointLossAt(ModelHessian objective, Tensor delta, BatchNormMode mode, int statisticsBatches)
    {
        using var perturbation = objective.Layout.Perturb(delta);
        return PointLoss(objective, mode, statisticsBatches);
    }

    /// <summary>Evenly spaced coordinates from <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    public static double[] Range(double from, double to, int points) =>
        points < 2 ? throw new ArgumentException("need at least 2 points")
                   : Enumerable.Range(0, points).Select(i => from + (to - from) * i / (points - 1)).ToArray();

    public static LossCurve Slice1D(ModelHessian objective, Tensor direction, double[] alphas,
        BatchNormMode batchNorm = BatchNormMode.Reestimate, int statisticsBatches = DefaultStatisticsBatches)
    {
        objective.Layout.Require(direction);
        var clock = Stopwatch.StartNew();
        var losses = alphas.Select(a =>
        {
            using var scope = NewDisposeScope();
            return PointLossAt(objective, direction * a, batchNorm, statisticsBatches);
        }).ToArray();
        return new LossCurve("direction", alphas, losses, clock.Elapsed.TotalSeconds,
            BatchNormStatistics.Describe(objective.Model, batchNorm, objective.Batches, statisticsBatches, interpolation: false));
    }

    public static LossSurface Slice2D(ModelHessian objective, Tensor direction1, Tensor direction2, double[] alphas, double[] betas,
        BatchNormMode batchNorm = BatchNormMode.Reestimate, int statisticsBatches = DefaultStatisticsBatches)
    {
        objective.Layout.Require(direction1);
        objective.Layout.Require(direction2);
        var clock = Stopwatch.StartNew();
        var losses = new double[alphas.Length, betas.Length];
        for (int i = 0; i < alphas.Length; i++)
            for (int j = 0; j < betas.Length; j++)
            {
                using var scope = NewDisposeScope();
                losses[i, j] = PointLossAt(objective, direction1 * alphas[i] + direction2 * betas[j], batchNorm, statisticsBatches);
            }
        return new LossSurface(alphas, betas, losses, clock.Elapsed.TotalSeconds,
            BatchNormStatistics.Describe(objective.Model, batchNorm, objective.Batches, statisticsBatches, interpolation: false));
    }

    /// <summary>Loss of the model with parameters (1 − α)·A + α·B for each α; BatchNorm statistics re-estimated there
    /// (default) or mixed linearly like the weights (<see cref="BatchNormMode.Fixed"/>). α outside [0, 1] extrapolates.
    /// The model's own state is restored afterwards.</summary>
    public static LossCurve Interpolate(ModelHessian objective, ModelState a, ModelState b, double[] alphas,
        BatchNormMode batchNorm = BatchNormMode.Reestimate, int statisticsBatches = DefaultStatisticsBatches)
    {
        var clock = Stopwatch.StartNew();
        using var original = ModelState.Capture(objective.Model);
        try
        {
            var losses = alphas.Select(alpha =>
            {
                using var state = ModelState.Interpolate(a, b, alpha);
                state.LoadInto(objective.Model);
                return PointLoss(objective, batchNorm, statisticsBatches);
            }).ToArray();
            return new LossCurve("interpolation", alphas, losses, clock.Elapsed.TotalSeconds,
                BatchNormStatistics.Describe(objective.Model, batchNorm, objective.Batches, statisticsBatches, interpolation: true));
        }
        finally
        {
            original.LoadInto(objective.Model);
        }
    }
}
