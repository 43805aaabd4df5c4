using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Training.Analysis;

/// <summary>One in-training reading: λ_max (warm-started Lanczos), loss and gradient norm on the probe batches.</summary>
public sealed record SharpnessProbeReading(double LambdaMax, double Loss, double GradientNorm, int LanczosSteps, long Hvps,
    bool WarmStarted, double Seconds);

/// <summary>
/// λ_max at bounded cost for the trainer to call every N steps. The Hessian changes little between probes, so each
/// Lanczos run starts from the previous top eigenvector: the Krylov space then contains that vector, the first Ritz
/// value is already its Rayleigh quotient, and a few steps (<c>lanczosSteps</c>, default 5) refine it. The first
/// (cold) call runs <c>coldSteps</c> (default 10) from a random vector: five cold steps on the benchmark CNN, whose top two
/// eigenvalues are 9.98 and 9.17, returned 9.17. Cost per call: at most that many HVPs + 1 gradient over the probe
/// batches (keep them small, e.g. 256-1024 examples).
/// The model's train/eval mode and weights are left as they were.
/// </summary>
public sealed class SharpnessProbe : IDisposable
{
    readonly ModelHessian _hessian;
    readonly int _lanczosSteps;
    readonly int _coldSteps;
    readonly double _tolerance;
    readonly long _seed;
    Tensor? _previous;

    public SharpnessProbe(nn.Module<Tensor, Tensor> model, AnalysisLoss loss, IReadOnlyList<AnalysisBatch> probeBatches,
        int lanczosSteps = 5, int coldSteps = 10, double tolerance = 1e-3, long seed = 0)
    {
        if (lanczosSteps < 2 || coldSteps < 2) throw new ArgumentException("lanczosSteps and coldSteps must be at least 2");
        _coldSteps = coldSteps;
        _hessian = new ModelHessian(model, loss, probeBatches);
        _lanczosSteps = lanczosSteps;
        _tolerance = tolerance;
        _seed = seed;
    }

    public SharpnessProbeReading Measure()
    {
        var clock = Stopwatch.StartNew();
        long hvps0 = _hessian.HvpCount;
        bool warm = _previous is not null;
        int steps = warm ? _lanczosSteps : _coldSteps;
        var lanczos = LanczosEigenSolver.Run(_hessian,
            new LanczosOptions(TopK: 1, MaxSteps: steps, Tolerance: _tolerance, MinSteps: warm ? 2 : steps, Seed: _seed), _previous);
        _previous?.Dispose();
        _previous = lanczos.TopVectors[0].DetachFromDisposeScope();   // kept across the trainer's step scopes
        var (loss, gradient) = _hessian.LossAndGradient();
        double norm = FlatVectors.Norm(gradient);
        gradient.Dispose();
        return new SharpnessProbeReading(lanczos.LambdaMax, loss, norm, lanczos.Steps, _hessian.HvpCount - hvps0, warm,
            clock.Elapsed.TotalSeconds);
    }

    public void Dispose() => _previous?.Dispose();
}
