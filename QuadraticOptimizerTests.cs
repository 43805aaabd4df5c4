using TrainKit.Explorer.Simulation;

namespace TrainKit.Explorer.Tests;

public class QuadraticOptimizerTests
{
    static readonly Quadratic Q = new(LambdaMax: 10, LambdaMin: 1);
    const int Steps = 400;

    [Fact]
    public void Gradient_descent_converges_just_below_two_over_lambda_max_and_diverges_just_above()
    {
        var below = QuadraticOptimizers.GradientDescent(Q, StepSchedule.Constant(0.98 * Q.GradientDescentLimit, Steps), 1, 1);
        var above = QuadraticOptimizers.GradientDescent(Q, StepSchedule.Constant(1.02 * Q.GradientDescentLimit, Steps), 1, 1);
        Assert.False(below.Diverged);
        Assert.True(below.FinalLoss < 1e-3 * below.Loss[0], $"below the limit the loss should fall, got {below.FinalLoss}");
        // Just above the limit the stiff coordinate grows by |1 - lr·λ| = 1.04 per step.
        Assert.True(above.FinalLoss > 100 * above.Loss[0], $"above the limit the loss should grow, got {above.FinalLoss}");
    }

    [Fact]
    public void Heavy_ball_stability_flips_at_two_times_one_plus_beta_over_lambda_max()
    {
        const double beta = 0.5;
        double limit = Q.HeavyBallLimit(beta);
        Assert.Equal(0.3, limit, 12);
        var below = QuadraticOptimizers.HeavyBall(Q, StepSchedule.Constant(0.97 * limit, 2000), 1, 1, beta);
        var above = QuadraticOptimizers.HeavyBall(Q, StepSchedule.Constant(1.03 * limit, 2000), 1, 1, beta);
        Assert.True(below.FinalLoss < 1e-2 * below.Loss[0], $"below 2(1+β)/λ heavy ball should converge, got {below.FinalLoss}");
        Assert.True(above.Diverged || above.FinalLoss > 1e3, $"above 2(1+β)/λ heavy ball should diverge, got {above.FinalLoss}");
        // Heavy ball is still stable where plain GD is not: between 2/λ and 2(1+β)/λ.
        var between = QuadraticOptimizers.HeavyBall(Q, StepSchedule.Constant(0.25, 2000), 1, 1, beta);
        Assert.True(0.25 > Q.GradientDescentLimit && between.FinalLoss < 1e-2, $"got {between.FinalLoss}");
    }

    [Fact]
    public void Adam_converges_with_a_decaying_lr_and_takes_lr_sized_steps()
    {
        var decaying = StepSchedule.Of(k => 0.1 * (1 - (double)k / Steps), Steps);
        var adam = QuadraticOptimizers.Adam(Q, decaying, 1, 1);
        Assert.False(adam.Diverged);
        Assert.True(adam.FinalLoss < 1e-3, $"got {adam.FinalLoss}");
        // The first Adam step moves each coordinate by lr (bias-corrected m/√v = sign(g)).
        Assert.Equal(1 - 0.1, adam.X[1], 6);
        Assert.Equal(1 - 0.1, adam.Y[1], 6);
    }

    [Fact]
    public void Scheduled_momentum_replaces_the_fixed_beta()
    {
        var lr = Enumerable.Repeat(0.05, 50).ToArray();
        var withSchedule = QuadraticOptimizers.HeavyBall(Q, new StepSchedule(lr, Enumerable.Repeat(0.0, 50).ToArray()), 1, 1, beta: 0.9);
        var plainGd = QuadraticOptimizers.GradientDescent(Q, new StepSchedule(lr), 1, 1);
        Assert.Equal(plainGd.Loss, withSchedule.Loss);
    }

    [Fact]
    public void A_diverging_run_stops_instead_of_overflowing()
    {
        var run = QuadraticOptimizers.GradientDescent(Q, StepSchedule.Constant(1.0, 10_000), 1, 1);
        Assert.True(run.Diverged);
        Assert.True(run.Loss.Length < 10_000);
        Assert.All(run.Loss, l => Assert.True(double.IsFinite(l)));
    }

    [Theory]
    [InlineData(0.0, 1.0, "lambda_min")]
    [InlineData(1.0, 2.0, "lambda_max")]
    public void Invalid_eigenvalues_name_the_field(double lambdaMax, double lambdaMin, string field)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Quadratic.Checked(lambdaMax, lambdaMin));
        Assert.Equal(field, ex.ParamName);
    }
}
