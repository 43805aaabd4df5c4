using TorchSharp;
using TorchSharp.Modules;
using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>The classical stability facts that make λ_max worth measuring: on a quadratic, GD is stable iff
/// η &lt; 2/λ_max, heavy ball iff η &lt; 2(1+β)/λ_max; and GD settles only in minima with sharpness below 2/η.</summary>
public class StabilityThresholdTests
{
    const int Dim = 30;

    /// <summary>Runs TorchSharp's own SGD (PyTorch's momentum form) on ½xᵀHx and returns final/initial loss.</summary>
    static double LossRatio(double learningRate, double momentum, int steps)
    {
        var model = new QuadraticModel(QuadraticModel.RandomSymmetric(QuadraticModel.Spectrum(Dim), 1), ones(Dim));
        var optimizer = optim.SGD(model.parameters(), learningRate, momentum: momentum);
        double initial = model.forward(zeros(1)).item<double>();
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            model.forward(zeros(1)).backward();
            optimizer.step();
        }
        return model.forward(zeros(1)).item<double>() / initial;
    }

    [Fact]
    public void The_quadratic_has_lambda_max_100()
    {
        var model = new QuadraticModel(QuadraticModel.RandomSymmetric(QuadraticModel.Spectrum(Dim), 1), ones(Dim));
        var lanczos = LanczosEigenSolver.Run(QuadraticModel.Hessian(model), new LanczosOptions(MaxSteps: Dim, Tolerance: 1e-12));
        Assert.Equal(100, lanczos.LambdaMax, 1e-6);
    }

    [Fact]
    public void Gradient_descent_converges_below_2_over_lambda_and_diverges_above()
    {
        Assert.True(LossRatio(0.0199, 0, 3000) < 1e-6);
        Assert.True(LossRatio(0.0201, 0, 3000) > 1e6);
    }

    [Fact]
    public void Heavy_ball_flips_at_2_times_1_plus_beta_over_lambda()
    {
        const double beta = 0.9;
        double threshold = 2 * (1 + beta) / 100;   // 0.038
        Assert.True(LossRatio(0.99 * threshold, beta, 4000) < 1e-6);
        Assert.True(LossRatio(1.01 * threshold, beta, 4000) > 1e6);
    }

    /// <summary>f(a, b) = ½(ab − 1)²; at a minimum (ab = 1) the Hessian is [[b², 1], [1, a²]] with eigenvalues 0 and a² + b².</summary>
    sealed class ProductModel : nn.Module<Tensor, Tensor>
    {
        readonly Parameter a, b;
        public ProductModel(double a0, double b0) : base("product")
        {
            a = new Parameter(tensor(a0, ScalarType.Float64));
            b = new Parameter(tensor(b0, ScalarType.Float64));
            RegisterComponents();
        }
        public double A => a.item<double>();
        public double B => b.item<double>();
        public override Tensor forward(Tensor input) => 0.5 * (a * b - 1).square();
    }

    [Theory]
    [InlineData(0.02)]
    [InlineData(0.05)]
    [InlineData(0.1)]
    [InlineData(0.15)]
    [InlineData(0.19)]
    [InlineData(0.25)]
    [InlineData(0.3)]
    // From (3, 0.1) the nearby minima have a² + b² ≈ 9; for η = 0.25 and 0.3 (2/η = 8 and 6.7) GD must leave them.
    public void Gradient_descent_on_ab_finds_a_minimum_with_sharpness_below_2_over_eta(double eta)
    {
        var model = new ProductModel(3, 0.1);
        var optimizer = optim.SGD(model.parameters(), eta);
        for (int i = 0; i < 20000 && Math.Abs(model.A * model.B - 1) > 1e-10; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            model.forward(zeros(1)).backward();
            optimizer.step();
        }
        Assert.True(Math.Abs(model.A * model.B - 1) < 1e-8, $"not converged: ab = {model.A * model.B}");
        double sharpness = model.A * model.A + model.B * model.B;
        Assert.True(sharpness < 2 / eta, $"sharpness {sharpness} ≥ 2/η = {2 / eta}");
        // The suite's estimator agrees with the closed form.
        var hessian = new ModelHessian(model, (output, _) => output, [new AnalysisBatch(zeros(1), zeros(1))]);
        var lanczos = LanczosEigenSolver.Run(hessian, new LanczosOptions(MaxSteps: 2, MinSteps: 2, Tolerance: 1e-12));
        Assert.Equal(sharpness, lanczos.LambdaMax, 1e-6 * sharpness);
    }
}
