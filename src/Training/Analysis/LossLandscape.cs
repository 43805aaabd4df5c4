using System.Diagnostics;
using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace TrainKit.Training.Analysis;

/// <summary>A 1-D loss curve: loss at each coordinate (α along a direction, or the interpolation weight).</summary>
public sealed record LossCurve(string Kind, double[] Coordinates, double[] Losses, double Seconds)
{
    public string ToCsv()
    {
        var sb = new StringBuilder("alpha,loss\n");
        for (int i = 0; i < Coordinates.Length; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{Coordinates[i]:R},{Losses[i]:R}\n");
        return sb.ToString();
    }
}

/// <summary>A 2-D loss surface: Losses[i, j] at w + Alphas[i]·d₁ + Betas[j]·d₂.</summary>
public sealed record LossSurface(double[] Alphas, double[] Betas, double[,] Losses, double Seconds)
{
    public string ToCsv()
    {
        var sb = new StringBuilder("alpha,beta,loss\n");
        for (int i = 0; i < Alphas.Length; i++)
            for (int j = 0; j < Betas.Length; j++)
                sb.Append(CultureInfo.InvariantCulture, $"{Alphas[i]:R},{Betas[j]:R},{Losses[i, j]:R}\n");
        return sb.ToString();
    }
}

/// <summary>
/// Loss-landscape slices (Li et al. 2018) over the fixed analysis set, model in eval mode: 1-D and 2-D slices along
/// (filter-normalized) directions around the current weights, and linear interpolation between two solutions
/// (Goodfellow et al. 2015). The weights are always restored.
/// </summary>
public static class LossLandscape
{
    /// <summary>Evenly spaced coordinates from <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    public static double[] Range(double from, double to, int points) =>
        points < 2 ? throw new ArgumentException("need at least 2 points")
                   : Enumerable.Range(0, points).Select(i => from + (to - from) * i / (points - 1)).ToArray();

    public static LossCurve Slice1D(ModelHessian objective, Tensor direction, double[] alphas)
    {
        objective.Layout.Require(direction);
        var clock = Stopwatch.StartNew();
        var losses = alphas.Select(a =>
        {
            using var scope = NewDisposeScope();
            return objective.LossAt(direction * a);
        }).ToArray();
        return new LossCurve("direction", alphas, losses, clock.Elapsed.TotalSeconds);
    }

    public static LossSurface Slice2D(ModelHessian objective, Tensor direction1, Tensor direction2, double[] alphas, double[] betas)
    {
        objective.Layout.Require(direction1);
        objective.Layout.Require(direction2);
        var clock = Stopwatch.StartNew();
        var losses = new double[alphas.Length, betas.Length];
        for (int i = 0; i < alphas.Length; i++)
            for (int j = 0; j < betas.Length; j++)
            {
                using var scope = NewDisposeScope();
                losses[i, j] = objective.LossAt(direction1 * alphas[i] + direction2 * betas[j]);
            }
        return new LossSurface(alphas, betas, losses, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Loss of the model with state (1 − α)·A + α·B (parameters and BatchNorm buffers) for each α.
    /// α outside [0, 1] extrapolates. The model's own state is restored afterwards.</summary>
    public static LossCurve Interpolate(ModelHessian objective, ModelState a, ModelState b, double[] alphas)
    {
        var clock = Stopwatch.StartNew();
        using var original = ModelState.Capture(objective.Model);
        try
        {
            var losses = alphas.Select(alpha =>
            {
                using var state = ModelState.Interpolate(a, b, alpha);
                state.LoadInto(objective.Model);
                return objective.Loss();
            }).ToArray();
            return new LossCurve("interpolation", alphas, losses, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            original.LoadInto(objective.Model);
        }
    }
}
