using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>Small linear-algebra helpers on flat float64 vectors (see <see cref="ParameterLayout"/>).</summary>
public static class FlatVectors
{
    public static double Dot(Tensor a, Tensor b)
    {
        RequireSameLength(a, b);
        using var d = a.dot(b);
        return d.item<double>();
    }

    public static double Norm(Tensor a)
    {
        using var n = a.norm();
        return n.item<double>();
    }

    /// <summary>Standard normal vector from a dedicated generator, so seeds do not disturb the global RNG.</summary>
    public static Tensor Gaussian(long length, Generator generator) =>
        randn(new[] { length }, ScalarType.Float64, CPU, generator: generator);

    /// <summary>Rademacher vector: entries ±1 with probability ½ each.</summary>
    public static Tensor Rademacher(long length, Generator generator)
    {
        using var bits = randint(0, 2, new[] { length }, ScalarType.Float64, CPU, generator: generator);
        return bits.mul(2).sub_(1);
    }

    public static Tensor Normalized(Tensor v)
    {
        double n = Norm(v);
        if (n == 0 || double.IsNaN(n)) throw new ArithmeticException("cannot normalize a zero or NaN vector");
        return v.div(n);
    }

    /// <summary>Removes the components along the (orthonormal) <paramref name="basis"/> vectors, twice
    /// ("twice is enough", Parlett): one classical Gram-Schmidt pass loses orthogonality in floating point.</summary>
    public static Tensor Orthogonalized(Tensor v, IReadOnlyList<Tensor> basis)
    {
        if (basis.Count == 0) return v.clone();
        foreach (var q in basis) RequireSameLength(v, q);
        using var scope = NewDisposeScope();
        return Orthogonalized(v, stack(basis.ToArray())).MoveToOuterDisposeScope();
    }

    /// <summary>The same against the orthonormal rows of a [k, n] matrix (e.g. a preallocated Lanczos basis).</summary>
    public static Tensor Orthogonalized(Tensor v, Tensor q2)
    {
        if (q2.dim() != 2 || v.dim() != 1 || q2.shape[1] != v.shape[0])
            throw new ArgumentException($"cannot orthogonalize a vector of shape [{string.Join(", ", v.shape)}] against rows of [{string.Join(", ", q2.shape)}]");
        using var scope = NewDisposeScope();
        var w = v.clone();
        for (int pass = 0; pass < 2; pass++)
            w = w - q2.t().mv(q2.mv(w));
        return w.MoveToOuterDisposeScope();
    }

    public static void RequireSameLength(Tensor a, Tensor b)
    {
        if (a.dim() != 1 || b.dim() != 1 || a.shape[0] != b.shape[0])
            throw new ArgumentException($"vectors of different shapes: [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}]");
    }
}
