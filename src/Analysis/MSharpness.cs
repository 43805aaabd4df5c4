using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>Worst-case adaptive m-sharpness: the mean over m-example chunks of each chunk's worst loss rise.</summary>
/// <param name="FirstOrder">Mean over chunks of zᵀ∇L_chunk(w) at each chunk's maximizer; <paramref name="SecondOrder"/> is the rest.</param>
public sealed record MSharpnessResult(double Value, double StandardError, long M, double Rho, int AscentSteps, int Chunks,
    double FirstOrder, double SecondOrder, long Gradients, long LossEvaluations, double Seconds);

/// <summary>
/// Worst-case adaptive m-sharpness (Andriushchenko et al. 2023, eq. 2, after Foret et al.'s m-sharpness of SAM):
/// the analysis set is cut into chunks S_m of m examples and
/// S_max = mean over chunks of [ max_{|δᵢ| ≤ ρ|wᵢ|} L_{S_m}(w + δ) − L_{S_m}(w) ],
/// an ℓ∞ ball scaled elementwise by |w| (so rescaling a scale-invariant filter does not change it). Small m is the
/// regime Andriushchenko et al. found to correlate best with generalization; m = the whole set is plain adaptive
/// worst-case sharpness. Each chunk's maximum is found by <see cref="BoxAscent"/> (they use Auto-PGD; this is plain
/// projected sign-gradient ascent, a lower bound on each chunk's maximum). Chunks are consecutive examples of the
/// analysis set (deterministic), the last one shorter when m does not divide it; the mean weights chunks by size.
/// The standard error is over chunks. Cost: <c>steps</c> gradients and <c>steps + 1</c> losses per chunk, i.e.
/// <c>steps</c> gradient passes over the analysis set in all.
/// </summary>
public static class MSharpness
{
    public const string Definition =
        "Andriushchenko et al. 2023 worst-case adaptive m-sharpness, l_inf: mean over m-example chunks of max_{|d_i| <= rho*|w_i|} L_chunk(w+d) - L_chunk(w) (projected sign-gradient ascent)";

    public static MSharpnessResult Measure(nn.Module<Tensor, Tensor> model, AnalysisLoss loss, IReadOnlyList<AnalysisBatch> batches,
        long m = 128, double rho = 1e-3, int steps = 3, double stepFraction = 0.5, HessianMode mode = HessianMode.Eval, long seed = 0)
    {
        if (m < 1 || rho <= 0 || steps < 1 || stepFraction <= 0) throw new ArgumentException("m, rho, steps and stepFraction must be positive");
        if (batches.Count == 0) throw new ArgumentException("the analysis set has no batches");
        var clock = Stopwatch.StartNew();
        var chunks = Chunks(batches, m);
        var rises = new double[chunks.Count];
        var sizes = new double[chunks.Count];
        double firstOrder = 0, total = 0;
        long gradients = 0, losses = 0;
        try
        {
            for (int c = 0; c < chunks.Count; c++)
            {
                using var scope = NewDisposeScope();
                var objective = new ModelHessian(model, loss, [chunks[c]], mode);
                double baseLoss = objective.Loss();
                var bound = objective.Layout.Read().abs_().mul_(rho);
                using var ascent = BoxAscent.Maximize(objective, bound, baseLoss, steps, stepFraction, seed + c);
                rises[c] = ascent.BestLoss - baseLoss;
                sizes[c] = chunks[c].Size;
                firstOrder += sizes[c] * ascent.FirstOrder;
                total += sizes[c];
                gradients += objective.GradientCount;
                losses += objective.LossCount;
            }
        }
        finally
        {
            foreach (var chunk in chunks) { chunk.Input.Dispose(); chunk.Target.Dispose(); }
        }
        double mean = rises.Zip(sizes, (r, s) => r * s).Sum() / total;
        double stderr = rises.Length > 1 ? Math.Sqrt(rises.Sum(r => (r - mean) * (r - mean)) / (rises.Length - 1) / rises.Length) : double.NaN;
        firstOrder /= total;
        return new MSharpnessResult(mean, stderr, m, rho, steps, chunks.Count, firstOrder, mean - firstOrder, gradients, losses, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The analysis set re-cut into consecutive chunks of m examples (copies, disposed by the caller).</summary>
    static List<AnalysisBatch> Chunks(IReadOnlyList<AnalysisBatch> batches, long m)
    {
        using var scope = NewDisposeScope();
        var inputs = cat(batches.Select(b => b.Input).ToArray(), 0);
        var targets = cat(batches.Select(b => b.Target).ToArray(), 0);
        long n = inputs.shape[0];
        var chunks = new List<AnalysisBatch>();
        for (long start = 0; start < n; start += m)
        {
            long end = Math.Min(n, start + m);
            chunks.Add(new AnalysisBatch(inputs[TensorIndex.Slice(start, end)].clone().MoveToOuterDisposeScope(),
                targets[TensorIndex.Slice(start, end)].clone().MoveToOuterDisposeScope()));
        }
        return chunks;
    }
}
