using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using TrainKit.Training.Loop;
using static TorchSharp.torch;

namespace TrainKit.Training.Tests.Loop;

/// <summary>A small MLP regressing a fixed random linear target: fast enough to train and resume in tests.
/// Dropout makes the run depend on the RNG too, so resume must restore that as well.</summary>
sealed class SyntheticTask : ITrainingTask
{
    readonly Tensor _x, _y;
    readonly long _seed;
    public Func<long, double>? LossOverride { get; init; }

    /// <summary>The steps whose batch was asked for, in order.</summary>
    public List<long> BatchesServed { get; } = [];

    /// <summary>The splits evaluated, in order.</summary>
    public List<string> Evaluations { get; } = [];

    public SyntheticTask(long seed = 0, long examples = 512, double dropout = 0.1)
    {
        _seed = seed;
        using var generator = new Generator((ulong)seed);
        _x = randn([examples, 8], generator: generator);
        _y = _x.matmul(randn([8, 1], generator: generator)) + 0.1 * randn([examples, 1], generator: generator);
        random.manual_seed(seed);
        Model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(dropout), nn.Linear(32, 1));
    }

    public nn.Module<Tensor, Tensor> Model { get; }
    public long StepsPerEpoch => _x.shape[0] / 32;

    public (Tensor Input, Tensor Target) TrainBatch(long step)
    {
        BatchesServed.Add(step);
        using var generator = new Generator((ulong)(_seed * 7919 + step));
        Tensor index = randint(_x.shape[0], [32], generator: generator);
        return (_x.index(index), _y.index(index));
    }

    public Tensor Loss(Tensor output, Tensor target)
    {
        Tensor loss = nn.functional.mse_loss(output, target);
        return LossOverride is null ? loss : loss * 0 + LossOverride(0);
    }

    public EvalResult Evaluate(string split)
    {
        Evaluations.Add(split);
        Model.eval();
        Tensor prediction = Model.call(_x);
        // "Accuracy" of a regression: the share of predictions within 0.5 of the target.
        double withinHalf = (prediction - _y).abs().lt(0.5).to(ScalarType.Float32).mean().item<float>();
        return new EvalResult(nn.functional.mse_loss(prediction, _y).item<float>(), withinHalf);
    }

    public (Tensor Input, Tensor Target) AnalysisSubset(int examples) => (_x[..examples], _y[..examples]);

    public void Dispose() { _x.Dispose(); _y.Dispose(); Model.Dispose(); }
}

/// <summary>Linear decay to zero: the smallest real scheduler the trainer can drive.</summary>
sealed class LinearDecay(OptimizerHelper optimizer, long total) : IRunScheduler
{
    readonly double[] _base = optimizer.ParamGroups.Select(g => g.InitialLearningRate).ToArray();
    double _scale = 1;
    long _step;

    public void Step() { _step++; Apply(); }
    public (double Lr, double? WeightDecay, double? Momentum) Current => (optimizer.ParamGroups.First().LearningRate, null, null);
    public JsonNode State() => new JsonObject { ["step"] = _step, ["scale"] = _scale };
    public void LoadState(JsonNode state) { _step = state["step"]!.GetValue<long>(); _scale = state["scale"]!.GetValue<double>(); Apply(); }
    public void ContinueClock(JsonNode state) => LoadState(state);
    public void ScaleLearningRate(double factor) { _scale = factor; Apply(); }
    public void ReportMetric(double value) { }

    void Apply()
    {
        int i = 0;
        foreach (var group in optimizer.ParamGroups) group.LearningRate = _base[i++] * _scale * (1 - (double)_step / total);
    }
}
