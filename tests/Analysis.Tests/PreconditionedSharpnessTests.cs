using TorchSharp;
using TorchSharp.Modules;
using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>Adam's preconditioned sharpness λ_max(P⁻¹H) (Cohen et al. 2022) against a dense eigen-solve, and the
/// preconditioner read from a real TorchSharp Adam against its closed form after one step.</summary>
public class PreconditionedSharpnessTests
{
    [Fact]
    public void Lanczos_on_the_rescaled_hessian_finds_the_top_eigenvalue_of_P_inverse_H()
    {
        const int Dim = 30;
        var h = QuadraticModel.RandomSymmetric(QuadraticModel.Spectrum(Dim), 7);
        var model = new QuadraticModel(h, ones(Dim, ScalarType.Float64));
        // A spread of preconditioner entries, as Adam's √v̂ has across layers.
        var p = linspace(0.01, 2.0, Dim, ScalarType.Float64).pow(2);
        var d = p.rsqrt();
        double exact = linalg.eigvalsh(d.unsqueeze(1) * h * d.unsqueeze(0)).max().item<double>();
        using var preconditioner = new AdamPreconditioner(p.clone(), step: 100, beta1: 0.9, beta2: 0.999, eps: 1e-8, lr: 1e-3);
        var options = new SharpnessAnalysisOptions
        {
            RunTrace = false,
            RunDensity = false,
            RunEpsilonSharpness = false,
            RunRhoSharpness = false,
            RunPacBayes = false,
            RunJiangPacBayes = false,
            RunScaleAware = false,
            RunPowerIteration = false,
            RunLambdaMin = false,
            RunAdaptiveSharpness = false,
            RunAverageCaseSharpness = false,
            RunMSharpness = false,
            LanczosMaxSteps = 30,
            LanczosTolerance = 1e-10,
            TopK = 1,
        };
        var report = new SharpnessAnalyzer(options).Analyze(model, (output, _) => output, [new AnalysisBatch(zeros(1), zeros(1))],
            preconditioner: preconditioner);
        var section = report.PreconditionedLambdaMax!;
        Assert.Equal(exact, section.Lanczos.Value, 1e-8 * exact);
        Assert.Equal((2 + 2 * 0.9) / (0.1 * 1e-3), section.Threshold, 1e-9);
        Assert.Equal(section.Lanczos.Value / section.Threshold, section.RatioToThreshold, 1e-15);
        // The plain λ_max is another number: the preconditioner changes which direction is sharpest.
        Assert.NotEqual(report.LambdaMax!.Lanczos!.Value, section.Lanczos.Value, 3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void After_one_step_Adams_preconditioner_is_one_minus_beta1_times_abs_g_plus_eps(bool adamW)
    {
        // One update: v = (1 − β2)g², v̂ = g², so P = (1 − β1)(|g| + ε), whatever the decay and no-decay groups.
        random.manual_seed(3);
        var net = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2));
        net.to(ScalarType.Float64);
        var parameters = net.parameters().ToList();
        const double Beta1 = 0.8, Beta2 = 0.99, Eps = 1e-3;
        OptimizerHelper optimizer = adamW
            ? new AdamW([new AdamW.ParamGroup(parameters.Where(q => q.dim() > 1), lr: 0.01, beta1: Beta1, beta2: Beta2, eps: Eps, weight_decay: 0.1),
                         new AdamW.ParamGroup(parameters.Where(q => q.dim() <= 1), lr: 0.01, beta1: Beta1, beta2: Beta2, eps: Eps, weight_decay: 0)])
            : new Adam([new Adam.ParamGroup(parameters.Where(q => q.dim() <= 1), lr: 0.01, beta1: Beta1, beta2: Beta2, eps: Eps),
                        new Adam.ParamGroup(parameters.Where(q => q.dim() > 1), lr: 0.01, beta1: Beta1, beta2: Beta2, eps: Eps)]);
        var x = randn(5, 4, ScalarType.Float64);
        net.call(x).pow(2).sum().backward();
        var layout = new ParameterLayout(parameters);
        var g = layout.Flatten([.. parameters.Select(q => q.grad!)]);
        optimizer.step();
        using var preconditioner = AdamPreconditioner.FromOptimizer(optimizer, layout);
        var expected = g.abs().add(Eps).mul(1 - Beta1);
        Assert.True(preconditioner.Diagonal.allclose(expected, rtol: 1e-12, atol: 1e-15));
        Assert.Equal((1L, Beta1, 0.01), (preconditioner.Step, preconditioner.Beta1, preconditioner.Lr));
    }

    [Fact]
    public void Other_optimizers_and_an_unstepped_adam_are_refused_by_name()
    {
        var net = nn.Linear(2, 1);
        var sgd = new SGD(net.parameters(), 0.1);
        Assert.Contains("Adam and AdamW", Assert.Throws<ArgumentException>(() => AdamPreconditioner.FromOptimizer(sgd, new ParameterLayout(net.parameters()))).Message);
        var adam = new Adam(net.parameters(), 0.1);
        Assert.Contains("at least one optimizer step", Assert.Throws<ArgumentException>(() => AdamPreconditioner.FromOptimizer(adam, new ParameterLayout(net.parameters()))).Message);
    }
}
