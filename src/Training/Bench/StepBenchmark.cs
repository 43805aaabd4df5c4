using System.Diagnostics;
using TrainKit.Models;
using TrainKit.Models.Transformer;
using static TorchSharp.torch;

namespace TrainKit.Training.Bench;

/// <summary>Training-step throughput of the models the PyTorch peer (bench/peer/step.py) also builds: the same
/// architecture, batch, SGD step and timing rule (warm-up steps, then wall clock over N steps, no data loading).</summary>
public static class StepBenchmark
{
    public sealed record Measurement(string Model, int Steps, double Seconds, double ExamplesPerSecond);

    public static Measurement Run(string model, int batch, int steps, int warmup = 3)
    {
        // The caller decides the heap tuning (`trainkit bench step` runs tuned, as every CLI command does).
        using var scope = NewDisposeScope();
        random.manual_seed(0);
        nn.Module<Tensor, Tensor> net;
        Tensor x, y;
        Func<Tensor, Tensor> loss;
        switch (model)
        {
            case "resnet20":
                net = ModelFactory.Create(new ModelSpec("resnet20"));
                x = randn(batch, 3, 32, 32);
                y = randint(10, [batch]);
                loss = output => nn.functional.cross_entropy(output, y);
                break;
            case "gpt":
                const int vocab = 256, context = 64;
                net = ModelFactory.Create(new TransformerConfig(vocab, context, Layers: 4, Heads: 4, EmbeddingDim: 128));
                x = randint(vocab, [batch, context]);
                y = randint(vocab, [batch, context]);
                loss = output => nn.functional.cross_entropy(output.view(-1, vocab), y.view(-1));
                break;
            default:
                throw new ArgumentException($"model must be resnet20 or gpt, got '{model}'");
        }
        var optimizer = optim.SGD(net.parameters(), 0.01, momentum: 0.9);
        net.train();
        void Step()
        {
            using var step = NewDisposeScope();
            optimizer.zero_grad();
            loss(net.call(x)).backward();
            optimizer.step();
        }
        for (int i = 0; i < warmup; i++) Step();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) Step();
        double seconds = clock.Elapsed.TotalSeconds;
        net.Dispose();
        return new Measurement(model, steps, seconds, steps * batch / seconds);
    }
}
