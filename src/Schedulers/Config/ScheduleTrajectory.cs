using TorchSharp.Modules;
using TrainKit.Schedulers.Adapter;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Config;

/// <summary>One schedule sampled step by step: what a training run would see (plots, CSV, explorers).</summary>
public sealed record ScheduleTrajectory(string Label, double[] Steps, double[] Time, double[] Lr, double[]? WeightDecay, double[]? Momentum)
{
    /// <summary>
    /// Drives the real scheduler on a one-parameter SGD optimizer (lr <paramref name="baseLr"/>, the given weight
    /// decay and momentum) for <paramref name="steps"/> steps, so co-scheduled weight decay and momentum appear
    /// exactly as in training. WeightDecay/Momentum are null when the spec leaves them fixed.
    /// </summary>
    public static ScheduleTrajectory Sample(ScheduleSpec spec, int steps, double baseLr, double weightDecay = 0, double momentum = 0, string? label = null)
    {
        Validation.Check.PositiveInt(steps, "steps");
        Validation.Check.NonNegative(baseLr, "lr");
        Validation.Check.NonNegative(weightDecay, "weight_decay");
        Validation.Check.Within(momentum, 0, 1, "momentum");
        using var scope = NewDisposeScope();
        var parameter = new Parameter(zeros(1));
        var optimizer = optim.SGD([parameter], baseLr, momentum: momentum, weight_decay: weightDecay);
        var scheduler = ScheduleFactory.CreateScheduler(spec, optimizer);
        var kind = ScheduleCatalog.Describe(spec.Kind);
        bool wdMoves = scheduler.WeightDecay.Mode != Coupling.WeightDecayMode.Fixed;
        bool momentumMoves = scheduler.Momentum.Mode is not Coupling.MomentumMode.Fixed
            && (scheduler.Momentum.Mode != Coupling.MomentumMode.Auto || scheduler.Schedules[0] is Schedules.IMomentumSchedule { CyclesMomentum: true });
        // OneCycleLR cannot go past total_steps: stop there rather than fail. The factory builds schedules in steps
        // (a spec in epochs is rewritten), so its end is a step.
        int last = scheduler.Schedules[0] is Schedules.IBoundedSchedule b ? (int)Math.Min(steps, Math.Floor(b.EndTime)) : steps;
        var xs = new double[last + 1]; var ts = new double[last + 1]; var lr = new double[last + 1];
        var wd = wdMoves ? new double[last + 1] : null; var m = momentumMoves ? new double[last + 1] : null;
        for (int k = 0; k <= last; k++)
        {
            if (k > 0) scheduler.step();
            xs[k] = k; ts[k] = scheduler.Time; lr[k] = scheduler.get_last_lr()[0];
            if (wd is not null) wd[k] = scheduler.get_last_weight_decay()[0] ?? 0;
            if (m is not null) m[k] = scheduler.get_last_momentum()[0] ?? 0;
        }
        return new ScheduleTrajectory(label ?? kind.Name, xs, ts, lr, wd, m);
    }
}
