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
        probe.Observe(g);
        Assert.Equal(new GradientCosineReading(0, 0, null), probe.Read());
        probe.Observe(g * 2);
        Assert.Equal(1, probe.Read().Last!.Value, 1e-7);
        probe.Observe(-g);
        probe.Observe(zeros(3));   // a zero gradient has no direction: no cosine, the latest stays
        GradientCosineReading reading = probe.Read();
        Assert.Equal(-1, reading.Last!.Value, 1e-7);
        Assert.Equal(0, reading.Mean!.Value, 1e-7);
        Assert.Equal(2, reading.Count);
        Assert.Throws<ArgumentException>(() => probe.Observe(tensor(new float[] { 1, 2 })));
    }

    [Fact]
    public void Observing_gradients_never_reads_the_device_only_reading_does()
    {
        using var probe = new GradientCosineProbe();
        using var generator = new Generator(3);
        for (int step = 0; step < 50; step++) probe.Observe(randn(new long[] { 1000 }, generator: generator));
        Assert.Equal(0, probe.HostReads);
        Assert.Equal(49, probe.Read().Count);
        Assert.Equal(1, probe.HostReads);
    }

    [Fact]
    public void Gradient_cosine_state_saved_and_loaded_continues_the_same_totals()
    {
        using var generator = new Generator(4);
        var grads = Enumerable.Range(0, 6).Select(_ => randn(new long[] { 64 }, generator: generator)).ToList();
        using var whole = new GradientCosineProbe();
        foreach (var g in grads) whole.Observe(g);

        using var first = new GradientCosineProbe();
        foreach (var g in grads.Take(3)) first.Observe(g);
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) first.Save(writer);
        using var resumed = new GradientCosineProbe();
        stream.Position = 0;
        using (var reader = new BinaryReader(stream)) resumed.Load(reader);
        foreach (var g in grads.Skip(3)) resumed.Observe(g);

        Assert.Equal(whole.Read(), resumed.Read());
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
            cosine.Observe(model.parameters());
            if (step > 0) cosines.Add(cosine.Read().Last!.Value);
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
        Assert.Equal(cosines.Average(), cosine.Read().Mean!.Value, 1e-12);
    }
}
