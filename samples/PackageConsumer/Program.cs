// A user's own TorchSharp program with TrainKit.Schedulers from NuGet: SGD with momentum fits a linear
// map, and a warmup + cosine schedule (weight decay following it) drives the real optimizer. It checks
// what it prints, so a broken package or a native library that does not load fails the run (exit 1).
using TorchSharp;
using TrainKit.Schedulers.Config;
using static TorchSharp.torch;

random.manual_seed(0);
var x = randn(256, 8);
var y = x.matmul(randn(8, 1)) + 0.01 * randn(256, 1);
var model = nn.Linear(8, 1);
var optimizer = optim.SGD(model.parameters(), learningRate: 0.1, momentum: 0.9, weight_decay: 1e-4);

const int steps = 100, warmup = 10;
const double minRatio = 0.1;
var spec = ScheduleSpec.FromJson($$$"""{"kind":"WarmupCosine","params":{"warmup_steps":{{{warmup}}},"total_steps":{{{steps}}},"min_lr_ratio":{{{minRatio}}}},"weight_decay":{"mode":"follow_schedule"}}"""); // TrainKit 1/3
var scheduler = ScheduleFactory.CreateScheduler(spec, optimizer);                                                                                                                            // TrainKit 2/3

double firstLoss = double.NaN, lastLoss = double.NaN, peakLr = 0;
for (int step = 1; step <= steps; step++)
{
    using var scope = NewDisposeScope();
    optimizer.zero_grad();
    var loss = nn.functional.mse_loss(model.call(x), y);
    loss.backward();
    optimizer.step();
    scheduler.step();                                                                                                                                                                        // TrainKit 3/3
    double lr = scheduler.get_last_lr()[0];
    peakLr = Math.Max(peakLr, lr);
    if (step == 1) firstLoss = loss.item<float>();
    lastLoss = loss.item<float>();
    if (step % 20 == 0) Console.WriteLine($"step {step,3}  loss {lastLoss:F5}  lr {lr:F5}  weight decay {scheduler.get_last_weight_decay()[0]:E3}");
}

double finalLr = scheduler.get_last_lr()[0];
Console.WriteLine($"libtorch {torch.__version__}, .NET {Environment.Version}: loss {firstLoss:F4} -> {lastLoss:F4}, peak lr {peakLr:F4}, final lr {finalLr:F5}");
var failures = new List<string>();
if (!(lastLoss < firstLoss / 10)) failures.Add($"loss did not fall tenfold ({firstLoss} -> {lastLoss})");
if (Math.Abs(peakLr - 0.1) > 1e-9) failures.Add($"peak lr {peakLr}, expected 0.1 after warmup");
if (Math.Abs(finalLr - 0.1 * minRatio) > 1e-9) failures.Add($"final lr {finalLr}, expected {0.1 * minRatio} at total_steps");
foreach (var failure in failures) Console.Error.WriteLine($"error: {failure}");
return failures.Count == 0 ? 0 : 1;
