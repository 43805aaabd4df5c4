namespace TrainKit.Analysis;

/// <summary>Eigen-decomposition of a small dense symmetric matrix (the Lanczos tridiagonal T) by the cyclic Jacobi
/// method in doubles. Jacobi is slow for large n but simple, unconditionally stable and accurate to working precision,
/// which is what a ≤ a few hundred square T needs; it keeps the eigen-solve independent of native code.</summary>
public static class SymmetricEigenSolver
{
    /// <summary>Eigenvalues in ascending order and the matching unit eigenvectors as columns of <c>Vectors</c>.</summary>
    public static (double[] Values, double[,] Vectors) Solve(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n) throw new ArgumentException("matrix must be square");
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        double scale = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) scale += a[i, j] * a[i, j];
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) off += a[i, j] * a[i, j];
            if (off <= 1e-30 * scale || off == 0) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0) continue;
                    // Rotation that zeroes a[p,q] (Golub & Van Loan, sym.schur2).
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        int[] order = Enumerable.Range(0, n).OrderBy(i => a[i, i]).ToArray();
        var values = order.Select(i => a[i, i]).ToArray();
        var vectors = new double[n, n];
        for (int col = 0; col < n; col++) for (int row = 0; row < n; row++) vectors[row, col] = v[row, order[col]];
        return (values, vectors);
    }

    /// <summary>Eigen-decomposition of the symmetric tridiagonal matrix with diagonal <paramref name="alpha"/> and
    /// off-diagonal <paramref name="beta"/> (length n-1).</summary>
    public static (double[] Values, double[,] Vectors) SolveTridiagonal(IReadOnlyList<double> alpha, IReadOnlyList<double> beta)
    {
        int n = alpha.Count;
        if (beta.Count < n - 1) throw new ArgumentException("beta needs n-1 entries");
        var t = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            t[i, i] = alpha[i];
            if (i + 1 < n) t[i, i + 1] = t[i + 1, i] = beta[i];
        }
        return Solve(t);
    }
}
