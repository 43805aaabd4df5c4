using TorchSharp;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using static TorchSharp.torch;

namespace TrainKit.Training.Tests.Loop;

public class ModelEmaTests
{
    /// <summary>A linear layer and a BatchNorm: parameters, float buffers (running mean/var) and an integer buffer.</summary>
    static nn.Module<Tensor, Tensor> Model(long seed)
    {
        random.manual_seed(seed);
        return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4));
    }

    static Dictionary<string, Tensor> Copy(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    /// <summary>Moves every parameter and buffer of <paramref name="model"/> by a training step and two batches through
    /// BatchNorm, so weights and running statistics both change.</summary>
    static void Train(nn.Module<Tensor, Tensor> model, long seed)
    {
        random.manual_seed(seed);
        model.train();
        using var optimizer = optim.SGD(model.parameters(), 0.5);
        for (int i = 0; i < 2; i++)
        {
            optimizer.zero_grad();
            model.call(randn(8, 3)).square().mean().backward();
            optimizer.step();
        }
    }

    [Fact]
    public void The_decay_follows_timm_v3_the_first_update_copies_and_warmup_climbs_as_one_minus_one_plus_t_to_the_minus_two_thirds()
    {
        var plain = new EmaConfig { Decay = 0.9 };
        Assert.Equal(0, ModelEma.DecayAt(1, plain)); // the first update takes the weights as they are
        Assert.Equal(0.9, ModelEma.DecayAt(2, plain));
        Assert.Equal(0.9, ModelEma.DecayAt(1000, plain));

        var warm = new EmaConfig { Decay = 0.9, Warmup = true };
        Assert.Equal(0, ModelEma.DecayAt(1, warm));
        // t = update − 1; 1 + t = 8 and 27 are cubes, so (1 + t)^(−2/3) is 1/4 and 1/9.
        Assert.Equal(0.75, ModelEma.DecayAt(8, warm), 12);
        Assert.Equal(8.0 / 9, ModelEma.DecayAt(27, warm), 12);
        Assert.Equal(0.9, ModelEma.DecayAt(1000, warm)); // capped at the configured decay
        double previous = 0;
        foreach (long update in new long[] { 2, 3, 10, 30, 100 })
        {
            double decay = ModelEma.DecayAt(update, warm);
            Assert.True(decay > previous, $"warmup decay must grow: {decay} at update {update} after {previous}");
            previous = decay;
        }
    }

    [Fact]
    public void An_update_averages_parameters_and_running_statistics_and_copies_the_integer_buffer()
    {
        using var model = Model(1);
        var config = new EmaConfig { Decay = 0.75 };
        using var ema = new ModelEma(model, config);
        var before = Copy(model);
        Train(model, 2);
        var after = Copy(model);
        ema.Update(2); // decay 0.75

        var averaged = ema.WithAveragedWeights(() => Copy(model));
        Assert.Equal(before.Keys.Order(), averaged.Keys.Order());
        Assert.Contains("1.running_mean", averaged.Keys);
        Assert.Contains("1.num_batches_tracked", averaged.Keys);
        foreach (var (name, value) in averaged)
        {
            if (value.is_floating_point())
            {
                Assert.False(before[name].equal(after[name]).all().item<bool>(), $"{name} did not move in training; the test would prove nothing");
                Tensor expected = 0.75 * before[name] + 0.25 * after[name];
                Assert.True(value.allclose(expected, rtol: 1e-6, atol: 1e-7), $"{name}: not 0.75·old + 0.25·new");
            }
            else Assert.True(value.equal(after[name]).all().item<bool>(), $"{name}: an integer buffer is copied, not averaged");
        }
    }

    [Fact]
    public void Swapping_the_average_in_leaves_the_training_weights_bit_for_bit_in_the_same_tensors()
    {
        using var model = Model(3);
        using var ema = new ModelEma(model, new EmaConfig { Decay = 0.5 });
        Train(model, 4);
        ema.Update(2);
        var training = Copy(model);
        var live = model.state_dict();
        using var input = randn(5, 3);
        model.eval();
        float[] trainingOutput = model.call(input).data<float>().ToArray();

        float[] averagedOutput = ema.WithAveragedWeights(() => model.call(input).data<float>().ToArray());
        Assert.NotEqual(trainingOutput, averagedOutput); // the model really ran with other weights

        Assert.Throws<InvalidOperationException>(() => ema.WithAveragedWeights<int>(() => throw new InvalidOperationException("evaluation failed")));
        foreach (var (name, value) in model.state_dict())
        {
            Assert.Same(live[name], value);
            Assert.Equal(training[name].bytes.ToArray(), value.bytes.ToArray());
        }
        Assert.Equal(trainingOutput, model.call(input).data<float>().ToArray());
    }

    [Fact]
    public void The_saved_average_loads_into_a_plain_model_and_into_another_average()
    {
        using var model = Model(5);
        using var ema = new ModelEma(model, new EmaConfig { Decay = 0.5 });
        Train(model, 6);
        ema.Update(2);
        var averaged = ema.WithAveragedWeights(() => Copy(model));
        var stream = new MemoryStream();
        ema.Save(stream);
        byte[] saved = stream.ToArray();

        using var plain = Model(7); // other initial weights, same architecture: as model.bin is loaded
        plain.load(new MemoryStream(saved));
        foreach (var (name, value) in plain.state_dict()) Assert.True(value.equal(averaged[name]).all().item<bool>(), name);

        using var other = Model(8);
        using var restored = new ModelEma(other, new EmaConfig { Decay = 0.5 });
        var otherTraining = Copy(other);
        restored.Load(new MemoryStream(saved));
        foreach (var (name, value) in restored.WithAveragedWeights(() => Copy(other))) Assert.True(value.equal(averaged[name]).all().item<bool>(), name);
        foreach (var (name, value) in other.state_dict()) Assert.True(value.equal(otherTraining[name]).all().item<bool>(), $"{name}: loading the average moved the training weights");
    }
}
