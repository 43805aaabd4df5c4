using TrainKit.Training.Loop;

namespace TrainKit.Training.Tests.Loop;

public class DivergenceGuardTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_finite_loss_diverges_at_once(double loss)
    {
        Assert.Contains("the loss is", new DivergenceGuard().Check(loss));
    }

    [Fact]
    public void Noisy_but_healthy_losses_pass_and_an_explosion_is_caught_after_burn_in()
    {
        var guard = new DivergenceGuard(explodeFactor: 10, burnInSteps: 5);
        var rng = new Random(1);
        for (int i = 0; i < 200; i++)
            Assert.Null(guard.Check(2.0 * Math.Exp(-i / 50.0) + rng.NextDouble() * 0.3));
        Assert.Contains("exploded", guard.Check(50.0));
    }
}

public class DivergenceGuardBurnInTests
{
    [Fact]
    public void An_explosion_inside_the_burn_in_is_caught_against_the_first_loss()
    {
        var guard = new DivergenceGuard(explodeFactor: 10, burnInSteps: 20);
        Assert.Null(guard.Check(2.3));
        Assert.Null(guard.Check(5.0)); // early noise, even 20x the first loss, is fine
        Assert.Null(guard.Check(46.0));
        string? reason = guard.Check(5e11);
        Assert.Contains("exploded past 100x the first loss 2.3 during the 20-step burn-in", reason);
        Assert.Equal(2.3, guard.FirstLoss);
    }

    [Fact]
    public void A_disabled_guard_ignores_explosions_in_and_after_the_burn_in()
    {
        var guard = new DivergenceGuard(explodeFactor: 0, burnInSteps: 2);
        foreach (double loss in new[] { 1.0, 1e6, 1e12, 1e15 }) Assert.Null(guard.Check(loss));
    }
}
