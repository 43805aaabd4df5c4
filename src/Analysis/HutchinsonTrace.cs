using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>Hutchinson trace estimate: the mean of vᵀHv over Rademacher probes, its standard error
/// (sample standard deviation / √probes), and cost.</summary>
public sealed record TraceEstimate(double Value, double StandardError, int Probes, long Hvps, double Seconds, double[] Samples);

/// <summary>
/// Hutchinson's estimator tr(H) = E[vᵀHv] with Rademacher v (entries ±1). For a diagonal H every probe returns
/// the exact trace (vᵢ² = 1), which the tests use. The stopping rule is PyHessian's (<c>trace(maxIter=100, tol=1e-3)</c>:
/// stop when the running mean moved by less than <c>tol·(|previous mean| + 1e-6)</c>), except that at least
/// <c>minProbes</c> probes are always taken so the standard error means something; PyHessian's rule alone often stops
/// after 2-3 probes whose agreement is luck.
/// </summary>
public static class HutchinsonTrace
{
    public static TraceEstimate Estimate(IHessianOperator hessian, int maxIter = 100, double tol = 1e-3, int minProbes = 10, long seed = 0)
    {
        if (maxIter < 1) throw new ArgumentException("maxIter must be at least 1");
        minProbes = Math.Clamp(minProbes, 1, maxIter);
        var clock = Stopwatch.StartNew();
        long startCount = hessian.HvpCount;
        using var generator = new Generator((ulong)seed);
        var samples = new List<double>();
        double mean = 0;
        for (int i = 0; i < maxIter; i++)
        {
            using var scope = NewDisposeScope();
            var v = FlatVectors.Rademacher(hessian.Dimension, generator);
            samples.Add(FlatVectors.Dot(hessian.Multiply(v), v));
            double newMean = samples.Average();
            bool stable = Math.Abs(newMean - mean) / (Math.Abs(mean) + 1e-6) < tol;
            mean = newMean;
            if (stable && samples.Count >= minProbes) break;
        }
        double stderr = double.NaN;
        if (samples.Count > 1)
        {
            double variance = samples.Sum(s => (s - mean) * (s - mean)) / (samples.Count - 1);
            stderr = Math.Sqrt(variance / samples.Count);
        }
        return new TraceEstimate(mean, stderr, samples.Count, hessian.HvpCount - startCount, clock.Elapsed.TotalSeconds, samples.ToArray());
    }
}
