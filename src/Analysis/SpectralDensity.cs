using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>Stochastic Lanczos quadrature output: per probe run, the Ritz values (quadrature nodes) and weights
/// (squared first components of T's eigenvectors; they sum to 1 per run).</summary>
public sealed record SpectralDensityEstimate(double[][] Nodes, double[][] Weights, int Steps, long Hvps, double Seconds)
{
    /// <summary>Quadrature weight on negative nodes, averaged over runs: the estimated fraction of eigenvalues below 0.</summary>
    public double NegativeMass => Enumerable.Range(0, Nodes.Length).Average(r => Nodes[r].Zip(Weights[r]).Where(p => p.First < 0).Sum(p => p.Second));

    /// <summary>Quadrature estimate of the k-th spectral moment tr(H^k)/n: mean over runs of Σ w·θ^k (exact in
    /// expectation over probes for k ≤ 2·steps − 1).</summary>
    public double Moment(int k) => Enumerable.Range(0, Nodes.Length).Average(r => Nodes[r].Zip(Weights[r]).Sum(p => p.Second * Math.Pow(p.First, k)));

    /// <summary>The Gaussian-broadened density on a grid, with PyHessian's <c>density_generate</c> semantics:
    /// grid = linspace(mean of per-run minima − overhead, mean of per-run maxima + overhead, bins);
    /// variance = sigmaSquared·max(1, range); density(x) = mean over runs of Σ w·N(x; node, variance),
    /// normalized so that Σ density·Δx = 1.</summary>
    public (double[] Grid, double[] Density) Broadened(int bins = 10000, double sigmaSquared = 1e-5, double overhead = 0.01)
    {
        if (bins < 2) throw new ArgumentException("need at least 2 bins");
        double hi = Nodes.Average(r => r.Max()) + overhead;
        double lo = Nodes.Average(r => r.Min()) - overhead;
        double variance = sigmaSquared * Math.Max(1, hi - lo);
        var grid = new double[bins];
        var density = new double[bins];
        double step = (hi - lo) / (bins - 1);
        for (int i = 0; i < bins; i++)
        {
            double x = grid[i] = lo + i * step;
            double sum = 0;
            for (int r = 0; r < Nodes.Length; r++)
                for (int j = 0; j < Nodes[r].Length; j++)
                    sum += Weights[r][j] * Math.Exp(-(Nodes[r][j] - x) * (Nodes[r][j] - x) / (2 * variance)) / Math.Sqrt(2 * Math.PI * variance);
            density[i] = sum / Nodes.Length;
        }
        double norm = density.Sum() * step;
        if (norm > 0) for (int i = 0; i < bins; i++) density[i] /= norm;
        return (grid, density);
    }
}

/// <summary>
/// Spectral density of the Hessian by stochastic Lanczos quadrature (Ghorbani et al. 2019; PyHessian's
/// <c>density(iter=100, n_v=1)</c>): for each of <c>runs</c> random unit probes, <c>steps</c> Lanczos steps with full
/// reorthogonalization give T; its eigenvalues are the nodes and the squared first components of its eigenvectors the
/// weights of a quadrature for vᵀδ(λ−H)v, whose expectation is the normalized spectral density.
/// PyHessian draws Rademacher probes and normalizes them; so does this.
/// </summary>
public static class StochasticLanczosQuadrature
{
    public static SpectralDensityEstimate Estimate(IHessianOperator hessian, int steps = 100, int runs = 1, long seed = 0)
    {
        if (steps < 1 || runs < 1) throw new ArgumentException("steps and runs must be at least 1");
        var clock = Stopwatch.StartNew();
        long startCount = hessian.HvpCount;
        var nodes = new double[runs][];
        var weights = new double[runs][];
        using var generator = new Generator((ulong)seed);
        for (int r = 0; r < runs; r++)
        {
            using var scope = NewDisposeScope();
            var probe = FlatVectors.Rademacher(hessian.Dimension, generator);
            // Tolerance 0: run all steps (stop only on breakdown, i.e. an invariant subspace, where T is exact).
            var lanczos = LanczosEigenSolver.Run(hessian, new LanczosOptions(TopK: 1, MaxSteps: steps, Tolerance: 0, MinSteps: steps), probe);
            var (values, vectors) = SymmetricEigenSolver.SolveTridiagonal(lanczos.Alphas, lanczos.Betas);
            nodes[r] = values;
            weights[r] = Enumerable.Range(0, values.Length).Select(j => vectors[0, j] * vectors[0, j]).ToArray();
        }
        return new SpectralDensityEstimate(nodes, weights, steps, hessian.HvpCount - startCount, clock.Elapsed.TotalSeconds);
    }
}
