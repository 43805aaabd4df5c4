using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>Result of power iteration: one value and vector per requested eigenvalue, with the products each needed.</summary>
public sealed record PowerIterationResult(double[] Eigenvalues, Tensor[] Eigenvectors, int[] Iterations, long Hvps, double Seconds)
{
    public double LambdaMax => Eigenvalues[0];
}

/// <summary>
/// Power iteration with deflation, written to match PyHessian's <c>hessian.eigenvalues(maxIter=100, tol=1e-3, top_n=1)</c>
/// step for step, so numbers can be compared with papers that used it: for each eigenvalue, start from a random unit
/// vector; each iteration orthonormalizes v against the eigenvectors already found, computes Hv, takes the Rayleigh
/// quotient vᵀHv, sets v = Hv/‖Hv‖, and stops when the quotient changed by less than <c>tol·(|previous| + 1e-6)</c>.
/// As in PyHessian, the value returned on that stop is the <i>previous</i> quotient.
/// Power iteration finds the largest eigenvalue in <b>magnitude</b>; on a Hessian with a large negative eigenvalue it
/// returns that one. Its convergence rate is |λ₂/λ₁| per step, so Lanczos usually needs far fewer products.
/// </summary>
public static class PowerIteration
{
    public static PowerIterationResult Run(IHessianOperator hessian, int topN = 1, int maxIter = 100, double tol = 1e-3, long seed = 0)
    {
        if (topN < 1 || maxIter < 1) throw new ArgumentException("topN and maxIter must be at least 1");
        var clock = Stopwatch.StartNew();
        long startCount = hessian.HvpCount;
        using var generator = new Generator((ulong)seed);
        var values = new List<double>();
        var vectors = new List<Tensor>();
        var iterations = new List<int>();
        for (int e = 0; e < topN; e++)
        {
            Tensor v;
            using (var g = FlatVectors.Gaussian(hessian.Dimension, generator)) v = FlatVectors.Normalized(g);
            double? eigenvalue = null;
            int used = 0;
            for (int i = 0; i < maxIter; i++)
            {
                using var scope = NewDisposeScope();
                var orthogonal = FlatVectors.Normalized(FlatVectors.Orthogonalized(v, vectors));
                var hv = hessian.Multiply(orthogonal);
                used++;
                double quotient = FlatVectors.Dot(hv, orthogonal);
                v.Dispose();
                v = FlatVectors.Normalized(hv).MoveToOuterDisposeScope();
                if (eigenvalue is null) eigenvalue = quotient;
                else if (Math.Abs(eigenvalue.Value - quotient) / (Math.Abs(eigenvalue.Value) + 1e-6) < tol) break;
                else eigenvalue = quotient;
            }
            values.Add(eigenvalue!.Value);
            vectors.Add(v);
            iterations.Add(used);
        }
        return new PowerIterationResult(values.ToArray(), vectors.ToArray(), iterations.ToArray(),
            hessian.HvpCount - startCount, clock.Elapsed.TotalSeconds);
    }
}
