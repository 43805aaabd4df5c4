using TorchSharp;
using TorchSharp.Modules;
using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>f(x) = ½ xᵀHx as a "model" whose output is the loss itself: the analysis code runs its real autograd
/// path on a Hessian we know exactly. Float64 so that 1e-6 relative checks test the algorithms, not rounding.</summary>
sealed class QuadraticModel : nn.Module<Tensor, Tensor>
{
    readonly Parameter x;
    readonly Tensor h;
    readonly Tensor c;

    /// <param name="center">Minimizer c of ½(x − c)ᵀH(x − c); zero when omitted.</param>
    public QuadraticModel(Tensor hessian, Tensor start, Tensor? center = null) : base("quadratic")
    {
        h = hessian.to(ScalarType.Float64);
        c = center?.to(ScalarType.Float64) ?? zeros(start.shape[0], ScalarType.Float64);
        x = new Parameter(start.to(ScalarType.Float64).clone());
        RegisterComponents();
    }

    public Parameter X => x;
    public Tensor H => h;

    public override Tensor forward(Tensor input) => 0.5 * (x - c).dot(h.mv(x - c));

    /// <summary>H = Q·diag(spectrum)·Qᵀ with a seeded random orthogonal Q (QR of a Gaussian matrix).</summary>
    public static Tensor RandomSymmetric(double[] spectrum, long seed)
    {
        using var generator = new Generator((ulong)seed);
        int n = spectrum.Length;
        var (q, _) = linalg.qr(randn(new long[] { n, n }, ScalarType.Float64, generator: generator));
        return q.mm(diag(tensor(spectrum, ScalarType.Float64))).mm(q.t());
    }

    public static ModelHessian Hessian(QuadraticModel model) =>
        new(model, (output, _) => output, [new AnalysisBatch(zeros(1), zeros(1))]);

    public static double[] Spectrum(int n) =>
        [100, 10, .. Enumerable.Range(0, n - 2).Select(i => 1.0 - 0.5 * i / n)];
}
