using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>Settings of a Lanczos run.</summary>
/// <param name="TopK">How many of the largest eigenvalues must converge.</param>
/// <param name="MaxSteps">Upper bound on Lanczos steps (= Hessian-vector products).</param>
/// <param name="Tolerance">Relative tolerance on the top-k Ritz values (see <see cref="LanczosEigenSolver"/>).</param>
/// <param name="MinSteps">Steps before convergence is tested (at least TopK + 1). Default 10: when the top two
/// eigenvalues are close and the start vector happens to be weak along the top eigenvector, the Ritz value of λ₂
/// settles first and a rule tested too early stops there (seen on the benchmark CNN: λ₁ = 9.98, λ₂ = 9.17, a stop
/// after 6 steps at 9.17). Ten steps amplify the top component enough in practice; warm starts may use fewer.</param>
/// <param name="Seed">Seed of the random start vector (ignored when a start vector is given).</param>
public sealed record LanczosOptions(int TopK = 1, int MaxSteps = 30, double Tolerance = 1e-3, int MinSteps = 10, long Seed = 0);

/// <summary>Result of a Lanczos run: Ritz values (descending), Ritz vectors of the top-k, and cost.</summary>
/// <param name="Converged">The residual bound β·|s_last| of every top-k Ritz pair is below Tolerance·|θ| (or the Krylov
/// space became invariant): each reported value is then within that distance of a true eigenvalue.</param>
/// <param name="Stalled">The top-k Ritz values changed by less than Tolerance·|θ| over the last two steps. A heuristic
/// only: on a flat spectrum the values creep up slowly and a stalled run can be several tolerances off.</param>
public sealed record LanczosResult(
    double[] RitzValues, Tensor[] TopVectors, double[] ResidualBounds, double[] Alphas, double[] Betas,
    int Steps, long Hvps, double Seconds, bool Converged, bool Stalled = false)
{
    public double LambdaMax => RitzValues[0];
}

/// <summary>
/// Lanczos with full reorthogonalization for the extreme eigenvalues of a symmetric operator.
/// <para>Each step costs one Hessian-vector product. Every new Lanczos vector is orthogonalized against all previous
/// ones (twice), which prevents the "ghost" copies of converged eigenvalues that plain three-term Lanczos produces in
/// floating point; with k ≤ ~100 vectors the extra O(kn) work is small next to a Hessian-vector product. The basis is
/// one preallocated [MaxSteps, n] matrix, filled row by row (no re-stacking per step).</para>
/// <para>Stopping rule: after each step the tridiagonal T is eigen-solved (<see cref="SymmetricEigenSolver"/>). The run
/// stops as <b>converged</b> when the residual bound β·|s_last| of each top-k Ritz pair (a rigorous bound on the
/// distance to an eigenvalue) is below <c>Tolerance·|θ|</c>; it also stops when all top-k values <b>stalled</b>
/// (changed by less than <c>Tolerance·|θ|</c> over the last two steps), which is reported separately and does not
/// count as converged.</para>
/// </summary>
public static class LanczosEigenSolver
{
    public static LanczosResult Run(IHessianOperator hessian, LanczosOptions options, Tensor? start = null)
    {
        if (options.TopK < 1 || options.MaxSteps < options.TopK)
            throw new ArgumentException($"need 1 ≤ TopK ≤ MaxSteps, got TopK={options.TopK}, MaxSteps={options.MaxSteps}");
        var clock = Stopwatch.StartNew();
        long n = hessian.Dimension;
        int maxSteps = (int)Math.Min(options.MaxSteps, n);
        using var basis = zeros(new long[] { maxSteps, n }, ScalarType.Float64);
        var alphas = new List<double>();
        var betas = new List<double>();
        var history = new List<double[]>();   // top-k Ritz values after each step
        bool converged = false, stalled = false;
        double[] values = [];
        double[,] vectors = new double[0, 0];
        using (var outer = NewDisposeScope())
        {
            Tensor q;
            if (start is null)
            {
                using var generator = new Generator((ulong)options.Seed);
                using var g = FlatVectors.Gaussian(n, generator);
                q = FlatVectors.Normalized(g);
            }
            else
            {
                if (start.dim() != 1 || start.shape[0] != n) throw new ArgumentException($"start vector must have length {n}");
                q = FlatVectors.Normalized(start.to(ScalarType.Float64, CPU));
            }
            for (int j = 0; j < maxSteps; j++)
            {
                basis[j].copy_(q);
                using var scope = NewDisposeScope();
                var w = hessian.Multiply(q);
                double alpha = FlatVectors.Dot(w, q);
                alphas.Add(alpha);
                w = FlatVectors.Orthogonalized(w, basis.narrow(0, 0, j + 1));   // full reorthogonalization
                double beta = FlatVectors.Norm(w);

                int m = alphas.Count, testFrom = Math.Max(options.MinSteps, options.TopK + 1);
                // T is eigen-solved only where its values are used: from two steps before the rule is first tested (the
                // stall test looks two steps back), at the last step, and where β is small enough that the Krylov space may
                // have become invariant (Gershgorin bounds |θ| from above, so this pre-test never misses a breakdown the
                // exact test would see). A fixed-length SLQ run used to solve T at every one of its steps: O(m⁴) in all.
                if (m < testFrom - 2 && j + 1 < maxSteps && beta > 1e-12 * Math.Max(1, GershgorinBound(alphas, betas)))
                {
                    betas.Add(beta);
                    q = w.div(beta).MoveToOuterDisposeScope();
                    continue;
                }
                (values, vectors) = SymmetricEigenSolver.SolveTridiagonal(alphas, betas);
                var topNow = TopValues(values, options.TopK);
                bool breakdown = beta <= 1e-12 * Math.Max(1, values.Max(Math.Abs));
                if (m >= testFrom || breakdown)
                {
                    var residuals = Residuals(vectors, beta, options.TopK);
                    bool bounded = true, still = history.Count >= 2;
                    for (int i = 0; i < topNow.Length; i++)
                    {
                        double limit = options.Tolerance * Math.Abs(topNow[i]);
                        if (!(history.Count >= 2 && history.TakeLast(2).All(h => i < h.Length && Math.Abs(topNow[i] - h[i]) < limit))) still = false;
                        if (!(residuals[i] < limit)) bounded = false;
                    }
                    if (bounded || breakdown) { converged = true; betas.Add(beta); break; }
                    if (still) { stalled = true; betas.Add(beta); break; }
                }
                history.Add(topNow);
                betas.Add(beta);
                if (j + 1 < maxSteps) q = w.div(beta).MoveToOuterDisposeScope();
            }
        }
        int k = Math.Min(options.TopK, values.Length);
        var top = new Tensor[k];
        using (var scope = NewDisposeScope())
        {
            var qMatrix = basis.narrow(0, 0, values.Length);   // [m, n]
            for (int i = 0; i < k; i++)
            {
                int col = values.Length - 1 - i;
                var s = new double[values.Length];
                for (int r = 0; r < s.Length; r++) s[r] = vectors[r, col];
                top[i] = FlatVectors.Normalized(qMatrix.t().mv(tensor(s, ScalarType.Float64))).MoveToOuterDisposeScope();
            }
        }
        double lastBeta = betas.Count >= alphas.Count ? betas[alphas.Count - 1] : 0;
        var bounds = Residuals(vectors, lastBeta, k);
        return new LanczosResult(Enumerable.Reverse(values).ToArray(), top, bounds, alphas.ToArray(),
            betas.Take(Math.Max(0, alphas.Count - 1)).ToArray(), alphas.Count, alphas.Count, clock.Elapsed.TotalSeconds,
            converged || bounds.Select((r, i) => r < options.Tolerance * Math.Abs(values[values.Length - 1 - i])).All(b => b), stalled);
    }
    /// <summary>An upper bound on |θ| for every eigenvalue θ of the tridiagonal T (diagonal α, off-diagonal β): the
    /// largest Gershgorin disc edge.</summary>
    static double GershgorinBound(List<double> alphas, List<double> betas)
    {
        double bound = 0;
        for (int i = 0; i < alphas.Count; i++)
        {
            double left = i > 0 ? Math.Abs(betas[i - 1]) : 0, right = i < alphas.Count - 1 ? Math.Abs(betas[i]) : 0;
            bound = Math.Max(bound, Math.Abs(alphas[i]) + left + right);
        }
        return bound;
    }

    static double[] TopValues(double[] ascending, int k) =>
        Enumerable.Reverse(ascending).Take(Math.Min(k, ascending.Length)).ToArray();

    /// <summary>‖H y − θ y‖ = β_m·|s_m| for the top-k Ritz pairs (s_m: last component of the eigenvector of T).</summary>
    static double[] Residuals(double[,] vectors, double beta, int k)
    {
        int m = vectors.GetLength(0);
        k = Math.Min(k, m);
        var r = new double[k];
        for (int i = 0; i < k; i++) r[i] = Math.Abs(beta * vectors[m - 1, m - 1 - i]);
        return r;
    }
}
