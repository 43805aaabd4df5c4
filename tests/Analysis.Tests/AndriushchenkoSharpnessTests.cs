using TorchSharp;
using TorchSharp.Modules;
using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>Average-case and worst-case adaptive m-sharpness (Andriushchenko et al. 2023) against closed forms.</summary>
public class AndriushchenkoSharpnessTests
{
    /// <summary>Per-example quadratics fᵢ(x) = ½ Σⱼ hⱼ (xⱼ − cᵢⱼ)², the input rows being the centres cᵢ: a chunk's loss is
    /// ½ Σⱼ hⱼ [(xⱼ − c̄ⱼ)² + var ⱼ], so its worst rise in the box |δⱼ| ≤ ρ|xⱼ| is ½ Σⱼ hⱼ (2|xⱼ − c̄ⱼ|·bⱼ + bⱼ²).</summary>
    sealed class PerExampleQuadratic : nn.Module<Tensor, Tensor>
    {
        readonly Parameter x;
        readonly Tensor h;

        public PerExampleQuadratic(Tensor curvature, Tensor start) : base("per_example_quadratic")
        {
            h = curvature.to(ScalarType.Float64);
            x = new Parameter(start.to(ScalarType.Float64).clone());
            RegisterComponents();
        }

        public override Tensor forward(Tensor centres) => 0.5 * ((x - centres).pow(2) * h).sum(1);
    }

    static readonly AnalysisLoss Mean = (output, _) => output.mean();

    static (PerExampleQuadratic Model, double[] H, double[] X, double[,] C, IReadOnlyList<AnalysisBatch> Batches) Fixture(int n = 12, int d = 5)
    {
        double[] h = [.. Enumerable.Range(0, d).Select(j => 0.5 + j)];
        double[] x = [.. Enumerable.Range(0, d).Select(j => j % 2 == 0 ? 1.0 + 0.3 * j : -0.7 - 0.2 * j)];
        var c = new double[n, d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) c[i, j] = Math.Sin(1.7 * i + 0.9 * j) * 1.5;
        var model = new PerExampleQuadratic(tensor(h, ScalarType.Float64), tensor(x, ScalarType.Float64));
        var centres = tensor(Enumerable.Range(0, n * d).Select(k => c[k / d, k % d]).ToArray(), new long[] { n, d }, ScalarType.Float64);
        // Unequal analysis batches (5 + 7): the chunks are re-cut from the whole set regardless.
        IReadOnlyList<AnalysisBatch> batches =
        [
            new AnalysisBatch(centres[TensorIndex.Slice(0, 5)], zeros(5)),
            new AnalysisBatch(centres[TensorIndex.Slice(5, null)], zeros(n - 5)),
        ];
        return (model, h, x, c, batches);
    }

    static double WorstRise(double[] h, double[] x, double[,] c, int from, int to, double rho)
    {
        double rise = 0;
        for (int j = 0; j < h.Length; j++)
        {
            double mean = 0;
            for (int i = from; i < to; i++) mean += c[i, j];
            mean /= to - from;
            double b = rho * Math.Abs(x[j]), dist = Math.Abs(x[j] - mean);
            rise += 0.5 * h[j] * (2 * dist * b + b * b);
        }
        return rise;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(12)]
    public void M_sharpness_is_the_size_weighted_mean_of_each_chunks_worst_rise_in_the_adaptive_box(int m)
    {
        var (model, h, x, c, batches) = Fixture();
        const double rho = 0.01;
        var result = MSharpness.Measure(model, Mean, batches, m, rho, steps: 3);
        int n = c.GetLength(0);
        double expected = 0;
        for (int from = 0; from < n; from += m) { int to = Math.Min(n, from + m); expected += (to - from) * WorstRise(h, x, c, from, to, rho); }
        expected /= n;
        Assert.Equal(expected, result.Value, 1e-12);
        Assert.Equal((n + m - 1) / m, result.Chunks);
        Assert.Equal(3 * result.Chunks, result.Gradients);
        // The first-order part is ρ·Σ|x|·|∂L|, the rest ½Σ h b² ≥ 0.
        Assert.True(result.SecondOrder > 0 && result.FirstOrder > result.SecondOrder);
    }

    [Fact]
    public void Smaller_chunks_see_sharper_worst_cases_as_the_convexity_of_the_distance_implies()
    {
        var (model, _, _, _, batches) = Fixture();
        double perExample = MSharpness.Measure(model, Mean, batches, 1, 0.01).Value;
        double whole = MSharpness.Measure(model, Mean, batches, 12, 0.01).Value;
        Assert.True(perExample > whole, $"m=1 {perExample} should exceed m=n {whole}");
    }

    [Fact]
    public void M_sharpness_leaves_the_weights_unchanged()
    {
        var (model, _, x, _, batches) = Fixture();
        MSharpness.Measure(model, Mean, batches, 4, 0.05);
        var after = model.parameters().Single().data<double>().ToArray();
        Assert.Equal(x, after);
    }

    [Fact]
    public void Average_case_sharpness_matches_half_rho_squared_sum_of_h_ii_w_i_squared_within_its_standard_error()
    {
        // E[½δᵀHδ + δᵀHx] with δ ~ N(0, ρ²diag(x²)) is ½ρ² Σ Hᵢᵢ xᵢ²: only H's diagonal counts.
        const int Dim = 20;
        var h = QuadraticModel.RandomSymmetric(QuadraticModel.Spectrum(Dim), 3);
        var start = linspace(-1.5, 2.0, Dim, ScalarType.Float64);
        var model = new QuadraticModel(h, start);
        const double rho = 0.1;
        var result = AverageCaseSharpness.Measure(QuadraticModel.Hessian(model), rho, samples: 400, seed: 5);
        double expected = 0.5 * rho * rho * (h.diag() * start * start).sum().item<double>();
        Assert.True(result.StandardError > 0);
        Assert.True(Math.Abs(result.Value - expected) < 4 * result.StandardError,
            $"average-case {result.Value} ± {result.StandardError} vs exact {expected}");
        Assert.Equal(401, result.LossEvaluations);
        // Same seed, same draws.
        Assert.Equal(result.Value, AverageCaseSharpness.Measure(QuadraticModel.Hessian(model), rho, samples: 400, seed: 5).Value);
    }

    [Fact]
    public void Zero_weights_are_not_perturbed_by_the_adaptive_figures()
    {
        // Adaptivity: the noise and the box scale with |w|, so at w = 0 both figures are exactly zero.
        var model = new QuadraticModel(diag(tensor(new[] { 3.0, 1.0 }, ScalarType.Float64)), zeros(2, ScalarType.Float64));
        Assert.Equal(0, AverageCaseSharpness.Measure(QuadraticModel.Hessian(model), 0.5, 4).Value);
        Assert.Equal(0, MSharpness.Measure(model, (o, _) => o, [new AnalysisBatch(zeros(1), zeros(1))], 1, 0.5).Value);
    }
}
