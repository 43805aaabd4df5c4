using TrainKit.Analysis;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>In-training probes: warm-started λ_max and the gradient-cosine probe, as a trainer would use them.</summary>
[Collection(TrainedCnnCollection.Name)]
public class ProbeTests(TrainedCnnFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Gradient_cosine_of_identical_and_opposite_gradients_is_plus_and_minus_one()
    {
        using var probe = new GradientCosineProbe();
        var g = tensor(new float[] { 1, 2, 3 });
        Assert.Null(probe.Observe(g));
        Assert.Equal(1, probe.Observe(g * 2)!.Value, 1e-7);
        Assert.Equal(-1, probe.Observe(-g)!.Value, 1e-7);
        Assert.Equal(0, probe.Mean!.Value, 1e-7);
        Assert.Equal(2, probe.Count);
        Assert.Throws<ArgumentException>(() => probe.Observe(tensor(new float[] { 1, 2 })));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Probes_follow_a_training_run_with_warm_started_lanczos()
    {
        var model = fixture.NewModel();
        var probeBatches = fixture.Batches.Take(1).ToList();   // 128 examples: a bounded-cost probe set
        using var sharpness = new SharpnessProbe(model, TrainedCnnFixture.CrossEntropy, probeBatches, lanczosSteps: 6);
        using var cosine = new GradientCosineProbe();
        var optimizer = optim.SGD(model.parameters(), 0.02);
        using var generator = new Generator(5);
        var readings = new List<SharpnessProbeReading>();
        var cosines = new List<double>();
        model.train();
        for (int step = 0; step < 30; step++)
        {
            using var scope = NewDisposeScope();   // as the trainer does: the probes must keep their state across scopes
            var index = randint(fixture.TrainX.shape[0], new long[] { 64 }, ScalarType.Int64, generator: generator);
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(fixture.TrainX.index(index)), fixture.TrainY.index(index)).backward();
            if (cosine.Observe(model.parameters()) is { } c) cosines.Add(c);
            optimizer.step();
            if (step % 10 == 9)
            {
                readings.Add(sharpness.Measure());
                Assert.True(model.training, "the probe leaves the model in train mode");
            }
        }
        // Cold, long Lanczos on the same probe set at the final weights as the reference.
        var reference = LanczosEigenSolver.Run(new ModelHessian(model, TrainedCnnFixture.CrossEntropy, probeBatches),
            new LanczosOptions(MaxSteps: 40, Tolerance: 1e-8));
        output.WriteLine(string.Join("; ", readings.Select(r => $"λ {r.LambdaMax:G5} ({r.Hvps} HVPs, warm {r.WarmStarted}, {r.Seconds:F2}s), |g| {r.GradientNorm:G3}")));
        output.WriteLine($"reference λ {reference.LambdaMax:G5}; minibatch gradient cosines mean {cosines.Average():F3} (min {cosines.Min():F3}, max {cosines.Max():F3})");

        Assert.False(readings[0].WarmStarted);
        Assert.True(readings[1].WarmStarted && readings[2].WarmStarted);
        Assert.True(readings[0].Hvps <= 10);
        Assert.All(readings.Skip(1), r => Assert.True(r.Hvps <= 6));
        Assert.Equal(reference.LambdaMax, readings[^1].LambdaMax, 0.02 * reference.LambdaMax);
        Assert.Equal(29, cosines.Count);
        Assert.All(cosines, c => Assert.InRange(c, -1, 1));
        Assert.Equal(cosines.Average(), cosine.Mean!.Value, 1e-12);
    }
}
