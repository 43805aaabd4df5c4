using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>One in-training reading: λ_max (warm-started Lanczos), loss and gradient norm on the probe batches.</summary>
/// <param name="LambdaMax">The larger of the warm run's and (when one ran) the cold check's top Ritz value: both are
/// Rayleigh quotients, hence lower bounds on λ_max, so the larger is the better estimate.</param>
/// <param name="Converged">The residual bound of the reported Ritz pair is below the tolerance (see <see cref="LanczosResult"/>).</param>
/// <param name="ColdCheckLambdaMax">λ_max of the periodic cold (random-start) check, when this reading ran one.</param>
public sealed record SharpnessProbeReading(double LambdaMax, double Loss, double GradientNorm, int LanczosSteps, long Hvps,
    bool WarmStarted, double Seconds, bool Converged = false, double ResidualBound = double.NaN, double? ColdCheckLambdaMax = null)
{
    /// <summary>Cold check minus warm run (relative to the warm value); positive means the warm start had missed the top.</summary>
    public double? ColdCheckDiscrepancy { get; init; }
}

/// <summary>
/// λ_max at bounded cost for the trainer to call every N steps. The Hessian changes little between probes, so each
/// Lanczos run starts near the previous top eigenvector and a few steps (<c>lanczosSteps</c>, default 6) refine it.
/// <para>A warm start alone can lock onto a lower eigenvector: when the top two eigenvalues cross between probes the
/// previous vector is an eigenvector of λ₂, its Krylov space is (nearly) invariant, and Lanczos reports λ₂ after two
/// products (on a 50-dim quadratic whose eigenvalues 10 and 9 swap: 9.0000). So the start is the previous vector plus
/// an equal-norm fresh random vector (the Krylov space then holds every direction, the crossed one included), the warm
/// run always takes all its steps, and every <c>coldCheckEvery</c>-th reading also runs a cold <c>coldSteps</c>-step
/// Lanczos from a random vector; its discrepancy is reported with the reading and the larger value wins.</para>
/// The first (cold) call runs <c>coldSteps</c> (default 10) from a random vector: five cold steps on the benchmark CNN,
/// whose top two eigenvalues are 9.98 and 9.17, returned 9.17. Cost per call: <c>lanczosSteps</c> HVPs (plus
/// <c>coldSteps</c> on check readings) + 1 gradient over the probe batches (keep them small, e.g. 256-1024 examples).
/// The model's per-module train/eval modes and weights are left as they were.
/// </summary>
public sealed class SharpnessProbe : IDisposable
{
    readonly ModelHessian _hessian;
    readonly int _lanczosSteps;
    readonly int _coldSteps;
    readonly int _coldCheckEvery;
    readonly double _tolerance;
    readonly Generator _generator;
    Tensor? _previous;
    int _readings;

    public SharpnessProbe(nn.Module<Tensor, Tensor> model, AnalysisLoss loss, IReadOnlyList<AnalysisBatch> probeBatches,
        int lanczosSteps = 6, int coldSteps = 10, double tolerance = 1e-3, long seed = 0, int coldCheckEvery = 10,
        HessianMode mode = HessianMode.Eval)
    {
        if (lanczosSteps < 2 || coldSteps < 2) throw new ArgumentException("lanczosSteps and coldSteps must be at least 2");
        if (coldCheckEvery < 0) throw new ArgumentException("coldCheckEvery must be 0 (never) or positive");
        _coldSteps = coldSteps;
        _hessian = new ModelHessian(model, loss, probeBatches, mode);
        _lanczosSteps = lanczosSteps;
        _coldCheckEvery = coldCheckEvery;
        _tolerance = tolerance;
        _generator = new Generator((ulong)seed);
    }

    public SharpnessProbeReading Measure()
    {
        var clock = Stopwatch.StartNew();
        long hvps0 = _hessian.HvpCount;
        bool warm = _previous is not null;
        using var scope = NewDisposeScope();
        LanczosResult best;
        double? cold = null, discrepancy = null;
        if (!warm) best = Cold();
        else
        {
            using var random = FlatVectors.Normalized(FlatVectors.Gaussian(_hessian.Dimension, _generator));
            using var start = FlatVectors.Normalized(_previous!).add_(random);
            best = LanczosEigenSolver.Run(_hessian, Options(_lanczosSteps), start);
            if (_coldCheckEvery > 0 && _readings % _coldCheckEvery == 0)
            {
                var check = Cold();
                cold = check.LambdaMax;
                discrepancy = (check.LambdaMax - best.LambdaMax) / Math.Abs(best.LambdaMax);
                if (check.LambdaMax > best.LambdaMax) best = check;
            }
        }
        _readings++;
        _previous?.Dispose();
        _previous = best.TopVectors[0].clone().DetachFromDisposeScope();   // kept across the trainer's step scopes
        var (loss, gradient) = _hessian.LossAndGradient();
        double norm = FlatVectors.Norm(gradient);
        return new SharpnessProbeReading(best.LambdaMax, loss, norm, best.Steps, _hessian.HvpCount - hvps0, warm,
            clock.Elapsed.TotalSeconds, best.Converged, best.ResidualBounds[0], cold)
        { ColdCheckDiscrepancy = discrepancy };
    }

    LanczosResult Cold()
    {
        using var g = FlatVectors.Gaussian(_hessian.Dimension, _generator);
        return LanczosEigenSolver.Run(_hessian, Options(_coldSteps), g);
    }

    // All steps are taken (MinSteps = MaxSteps): an early stop on two agreeing Ritz values is what locked onto λ₂.
    LanczosOptions Options(int steps) => new(TopK: 1, MaxSteps: steps, Tolerance: _tolerance, MinSteps: steps);

    /// <summary>The probe's state for a checkpoint: the warm-start vector, the reading count (it sets the cold-check
    /// cadence) and the generator, so a resumed run measures exactly what an uninterrupted one does.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_readings);
        using var generator = _generator.get_state();
        byte[] state = generator.bytes.ToArray();
        writer.Write(state.Length);
        writer.Write(state);
        FlatVectors.Write(writer, _previous);
    }

    public void Load(BinaryReader reader)
    {
        int readings = reader.ReadInt32();
        int length = reader.ReadInt32();
        using (var current = _generator.get_state())
            if (length != current.NumberOfElements)
                throw new InvalidDataException($"the stored probe generator state is {length} bytes; a generator state is {current.NumberOfElements}");
        using (var state = tensor(reader.ReadBytes(length), ScalarType.Byte)) _generator.set_state(state);
        var previous = FlatVectors.Read(reader, ScalarType.Float64, _hessian.Dimension);
        _previous?.Dispose();
        _previous = previous?.DetachFromDisposeScope();
        _readings = readings;
    }

    public void Dispose()
    {
        _previous?.Dispose();
        _generator.Dispose();
    }
}
