// An ordinary TorchSharp training loop (a small MLP fitting y = sin(3x) on synthetic data).
// The three lines marked "TrainKit" are all it takes to add a learning-rate schedule, here HF's
// warmup + cosine, with weight decay following the schedule.
using TorchSharp;
using TrainKit.Schedulers.Config;
using static TorchSharp.torch;

random.manual_seed(0);
var x = rand(512, 1) * 4 - 2;
var y = sin(3 * x) + 0.05 * randn(512, 1);

var model = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1));
var optimizer = optim.AdamW(model.parameters(), lr: 1e-2, weight_decay: 1e-2);
const int steps = 400;

var spec = ScheduleSpec.FromJson("""{"kind":"WarmupCosine","params":{"warmup_steps":40,"total_steps":400,"min_lr_ratio":0.05},"weight_decay":{"mode":"fixed"}}"""); // TrainKit 1/3 (AdamW already decays by lr·wd: keep wd fixed)
var scheduler = ScheduleFactory.CreateScheduler(spec, optimizer);                                                                          // TrainKit 2/3

for (int step = 1; step <= steps; step++)
{
    using var scope = NewDisposeScope();
    optimizer.zero_grad();
    var loss = nn.functional.mse_loss(model.call(x), y);
    loss.backward();
    optimizer.step();
    scheduler.step();                                                                                                                      // TrainKit 3/3
    if (step % 50 == 0)
        Console.WriteLine($"step {step,4}  loss {loss.item<float>():F5}  lr {scheduler.get_last_lr()[0]:E3}  weight decay {scheduler.get_last_weight_decay()[0]:E3}");
}

// Checkpointing the schedule is one JSON string; load_state_dict on a fresh scheduler continues exactly.
string state = scheduler.state_dict().ToJson();
Console.WriteLine($"scheduler state: {state.Length} bytes of JSON, step {scheduler.StepCount}");
