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

    /// <summary>Writes a vector (or its absence) into a checkpoint part: presence, length, the values as float64
    /// (exact for the float32 and float64 vectors the probes keep).</summary>
    public static void Write(BinaryWriter writer, Tensor? vector)
    {
        writer.Write(vector is not null);
        if (vector is null) return;
        using var flat = vector.to(ScalarType.Float64, CPU).contiguous();
        double[] values = flat.data<double>().ToArray();
        writer.Write(values.LongLength);
        foreach (double value in values) writer.Write(value);
    }

    /// <summary>Reads what <see cref="Write"/> wrote, as <paramref name="type"/> on the CPU; a length other than
    /// <paramref name="expectedLength"/> (when given) is bad data, named as such.</summary>
    public static Tensor? Read(BinaryReader reader, ScalarType type, long? expectedLength = null)
    {
        if (!reader.ReadBoolean()) return null;
        long length = reader.ReadInt64();
        if (length < 0 || expectedLength is { } n && length != n || length > (reader.BaseStream.Length - reader.BaseStream.Position) / sizeof(double))
            throw new InvalidDataException($"a stored vector has {length} values; expected {expectedLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "what the stream holds"}");
        var values = new double[length];
        for (long i = 0; i < length; i++) values[i] = reader.ReadDouble();
        using var stored = tensor(values);
        return stored.to(type);
    }
}
