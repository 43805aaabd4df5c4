using TrainKit.Explorer.Simulation;

namespace TrainKit.Explorer.Tests;

public class NoisyQuadraticTests
{
    static readonly NoisyQuadratic Noisy = new(new Quadratic(10, 1), Noise: 1.0, Runs: 64);
    const int Steps = 3000;
    const double Lr = 0.05;

    [Fact]
    public void Constant_lr_stalls_at_the_analytic_noise_floor()
    {
        var loss = Noisy.MeanLoss(StepSchedule.Constant(Lr, Steps), 1, 1);
        double tail = loss[^500..].Average();
        double floor = Noisy.NoiseFloor(Lr);
        Assert.InRange(tail, 0.8 * floor, 1.2 * floor);
    }

    [Fact]
    public void A_decaying_lr_goes_well_below_the_constant_lr_noise_floor()
    {
        // Robbins–Monro: lr_t = lr0/(1 + t/t0) sums to infinity while its squares do not.
        var constant = Noisy.MeanLoss(StepSchedule.Constant(Lr, Steps), 1, 1);
        var decaying = Noisy.MeanLoss(StepSchedule.Of(k => Lr / (1 + k / 100.0), Steps), 1, 1);
        Assert.True(decaying[^1] < 0.2 * constant[^500..].Average(), $"decaying {decaying[^1]} vs constant {constant[^500..].Average()}");
    }

    [Fact]
    public void Without_noise_the_floor_is_zero_and_the_runs_agree_with_plain_descent()
    {
        var quiet = Noisy with { Noise = 0 };
        Assert.Equal(0, quiet.NoiseFloor(Lr));
        var loss = quiet.MeanLoss(StepSchedule.Constant(Lr, 100), 1, 1);
        var gd = QuadraticOptimizers.GradientDescent(quiet.Quadratic, StepSchedule.Constant(Lr, 100), 1, 1);
        for (int k = 0; k <= 100; k++) Assert.Equal(gd.Loss[k], loss[k], 12);
    }

    [Fact]
    public void An_unstable_lr_has_no_floor()
    {
        Assert.True(double.IsPositiveInfinity(Noisy.NoiseFloor(0.25)));
    }
}
