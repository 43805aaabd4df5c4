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
