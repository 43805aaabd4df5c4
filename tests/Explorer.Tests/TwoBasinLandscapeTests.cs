using TrainKit.Explorer.Simulation;

namespace TrainKit.Explorer.Tests;

public class TwoBasinLandscapeTests
{
    static readonly TwoBasinLandscape L = TwoBasinLandscape.Default;
    const int Steps = 300;

    [Fact]
    public void The_sharp_basin_is_much_sharper_than_the_flat_one()
    {
        Assert.True(L.SharpCurvature > 10 * L.FlatCurvature);
        // The analytic gradient matches a central difference.
        foreach (double x in new[] { -1.7, -1.0, -0.9, 0.0, 0.8, 1.4, 2.5 })
            Assert.Equal((L.Loss(x + 1e-6) - L.Loss(x - 1e-6)) / 2e-6, L.Gradient(x), 4);
    }

    [Fact]
    public void A_small_constant_lr_stays_in_the_sharp_basin()
    {
        double lr = 0.5 * 2 / L.SharpCurvature;
        var run = L.Descend(StepSchedule.Constant(lr, Steps));
        Assert.Equal(Basin.Sharp, run.Ends);
        Assert.Equal(L.SharpCenter, run.FinalX, 2);
    }

    [Fact]
    public void A_large_peak_lr_escapes_the_sharp_basin_and_settles_in_the_flat_one()
    {
        // Cosine decay from an lr well above 2/λ_sharp but below 2/λ_flat.
        double peak = 0.3;
        Assert.True(peak > 2 / L.SharpCurvature && peak < 2 / L.FlatCurvature);
        var run = L.Descend(StepSchedule.Of(k => peak * 0.5 * (1 + Math.Cos(Math.PI * k / Steps)), Steps));
        Assert.Equal(Basin.Flat, run.Ends);
    }

    [Fact]
    public void A_restart_to_a_large_lr_escapes_where_the_small_lr_alone_stays()
    {
        double small = 0.02;
        var noRestart = L.Descend(StepSchedule.Constant(small, Steps));
        var restart = L.Descend(StepSchedule.Of(k => k >= 100 && k < 150 ? 0.3 : small, Steps));
        Assert.Equal(Basin.Sharp, noRestart.Ends);
        Assert.Equal(Basin.Flat, restart.Ends);
        // It was in the sharp basin until the restart.
        Assert.Equal(Basin.Sharp, L.BasinOf(restart.X[100]));
    }
}
