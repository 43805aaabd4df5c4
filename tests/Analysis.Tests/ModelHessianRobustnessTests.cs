using TorchSharp.Modules;
using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>Models libtorch would abort on (items 7) and per-module modes (item 8).</summary>
public class ModelHessianRobustnessTests
{
    /// <summary>Registers two parameters; the output uses only <c>used</c>.</summary>
    sealed class PartlyUsedModel : nn.Module<Tensor, Tensor>
    {
        readonly Parameter used;
        readonly Parameter unused;
        public PartlyUsedModel() : base("partly-used")
        {
            used = new Parameter(tensor(new[] { 1.0, 2.0 }));
            unused = new Parameter(tensor(new[] { 3.0, 4.0, 5.0 }));
            RegisterComponents();
        }
        // f = u₀²·u₁ : H = [[2u₁, 2u₀], [2u₀, 0]] on the used block.
        public override Tensor forward(Tensor input) => used[0] * used[0] * used[1];
    }

    sealed class LinearInWeights : nn.Module<Tensor, Tensor>
    {
        readonly Parameter w = new(tensor(new[] { 1.0, -2.0, 3.0 }));
        public LinearInWeights() : base("linear") => RegisterComponents();
        public override Tensor forward(Tensor input) => (w * tensor(new[] { 1.0, 2.0, 3.0 })).sum();
    }

    sealed class ConstantModel : nn.Module<Tensor, Tensor>
    {
        readonly Parameter w = new(tensor(new[] { 1.0 }));
        public ConstantModel() : base("constant") => RegisterComponents();
        public override Tensor forward(Tensor input) => tensor(2.0);
    }

    static readonly AnalysisBatch[] One = [new AnalysisBatch(zeros(1), zeros(1))];

    [Fact]
    public void An_unused_parameter_gets_zero_gradient_and_zero_hessian_rows()
    {
        var hessian = new ModelHessian(new PartlyUsedModel(), (o, _) => o, One);
        var (loss, gradient) = hessian.LossAndGradient();
        Assert.Equal(2, loss, 1e-12);
        Assert.Equal(new[] { 4.0, 1.0, 0, 0, 0 }, gradient.data<double>().ToArray());   // (2u₀u₁, u₀²)
        var hv = hessian.Multiply(tensor(new[] { 1.0, 1.0, 1.0, 1.0, 1.0 }));
        Assert.Equal(new[] { 4.0 + 2.0, 2.0, 0, 0, 0 }, hv.data<double>().ToArray());
        var lanczos = LanczosEigenSolver.Run(hessian, new LanczosOptions(TopK: 1, MaxSteps: 5, MinSteps: 2));
        Assert.Equal(2 + Math.Sqrt(8), lanczos.LambdaMax, 1e-9);   // eigenvalues of [[4, 2], [2, 0]]
    }

    [Fact]
    public void A_loss_linear_in_the_weights_has_a_zero_hessian()
    {
        var hessian = new ModelHessian(new LinearInWeights(), (o, _) => o, One);
        Assert.Equal(0, hessian.Multiply(ones(3, ScalarType.Float64)).abs().max().item<double>());
        var lanczos = LanczosEigenSolver.Run(hessian, new LanczosOptions(TopK: 1, MaxSteps: 3, MinSteps: 1));
        Assert.Equal(0, lanczos.LambdaMax);
        Assert.True(lanczos.Converged);
        Assert.Equal(0, HutchinsonTrace.Estimate(hessian, maxIter: 3, minProbes: 3).Value);
    }

    [Fact]
    public void A_loss_that_uses_no_parameter_is_a_managed_error()
    {
        var hessian = new ModelHessian(new ConstantModel(), (o, _) => o, One);
        Assert.Equal(2, hessian.Loss());
        var error = Assert.Throws<ArgumentException>(() => hessian.LossAndGradient());
        Assert.Contains("does not depend on any trainable parameter", error.Message);
        Assert.Throws<ArgumentException>(() => hessian.Multiply(ones(1, ScalarType.Float64)));
    }

    [Fact]
    public void Each_module_gets_its_own_mode_back()
    {
        var frozen = nn.BatchNorm1d(4);
        var model = nn.Sequential(nn.Linear(3, 4), frozen, nn.Linear(4, 2));
        model.train();
        frozen.eval();   // a frozen BatchNorm inside a training model
        var hessian = new ModelHessian(model, (o, t) => nn.functional.cross_entropy(o, t),
            [new AnalysisBatch(randn(8, 3), tensor(new long[] { 0, 1, 0, 1, 0, 1, 0, 1 }))]);
        hessian.Loss();
        hessian.Multiply(ones(hessian.Dimension, ScalarType.Float64));
        Assert.True(model.training);
        Assert.False(frozen.training);
        Assert.All(model.children().Where(c => c is Linear), c => Assert.True(c.training));
    }

    [Fact]
    public void Train_mode_hessian_uses_batch_statistics_and_restores_the_running_ones()
    {
        var bn = nn.BatchNorm1d(3);
        var model = nn.Sequential(nn.Linear(3, 3), bn, nn.Linear(3, 2));
        model.eval();
        var batches = new[] { new AnalysisBatch(randn(16, 3) * 3 + 1, randint(0, 2, new long[] { 16 })) };
        var meanBefore = bn.running_mean!.clone();
        var eval = new ModelHessian(model, (o, t) => nn.functional.cross_entropy(o, t), batches, HessianMode.Eval);
        var train = new ModelHessian(model, (o, t) => nn.functional.cross_entropy(o, t), batches, HessianMode.Train);
        Assert.NotEqual(eval.Loss(), train.Loss(), 6);
        train.Multiply(ones(train.Dimension, ScalarType.Float64));
        Assert.Equal(0, (bn.running_mean! - meanBefore).abs().max().item<float>());
        Assert.False(model.training);
    }
}
