using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using TorchSharp;
using TrainKit.Training.Data;
using static TorchSharp.torch;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit demo`: environment info plus a tiny real training run (a small CNN on the embedded
/// Fashion-MNIST subset), the smoke test a new user runs first.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Optimizer steps to train.", DefaultValueFactory = _ => 300 };
        var command = new Command("demo", "Print `info`, then train a small CNN on the embedded Fashion-MNIST subset.") { steps };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(steps);
            if (n < 1) throw new ArgumentException($"--steps must be at least 1, got {n}");
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Output) });
            foreach (var (name, value) in InfoCommand.Describe())
                console.MarkupLine($"[grey]{Markup.Escape(name)}:[/] {Markup.Escape(value)}");
            var (accuracy, seconds) = Train(n, console);
            console.MarkupLine($"[green]test accuracy {accuracy:P1}[/] after {n} steps in {seconds:F1} s");
            return 0;
        });
        return command;
    }

    static (double Accuracy, double Seconds) Train(int steps, IAnsiConsole console)
    {
        random.manual_seed(0);
        using ImageDataset train = ImageDatasets.Load(null, DatasetSplit.Train);   // the bundled subset
        using ImageDataset test = ImageDatasets.Load(null, DatasetSplit.Test);
        using Tensor trainX = train.Images.to(ScalarType.Float32).div_(255f);
        using Tensor testX = test.Images.to(ScalarType.Float32).div_(255f);
        Tensor trainY = train.Labels, testY = test.Labels;

        using var model = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, 10));
        var optimizer = optim.SGD(model.parameters(), 0.05, momentum: 0.9);
        const int batch = 64;
        long count = trainX.shape[0];
        var clock = Stopwatch.StartNew();
        console.Progress().Start(ctx =>
        {
            var task = ctx.AddTask("training", maxValue: steps);
            for (int step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                Tensor index = randint(count, batch, dtype: ScalarType.Int64);
                optimizer.zero_grad();
                Tensor loss = nn.functional.cross_entropy(model.call(trainX.index(index)), trainY.index(index));
                loss.backward();
                optimizer.step();
                task.Description = $"training  loss {loss.item<float>():F3}";
                task.Increment(1);
            }
        });
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            model.eval();
            double correct = model.call(testX).argmax(1).eq(testY).sum().item<long>();
            return (correct / testY.shape[0], clock.Elapsed.TotalSeconds);
        }
    }
}
