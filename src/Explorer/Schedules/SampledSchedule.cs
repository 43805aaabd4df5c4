using TrainKit.Explorer.Simulation;
using TrainKit.Schedulers.Config;

namespace TrainKit.Explorer.Schedules;

/// <summary>
/// One schedule as the explorer shows it: sampled by the real scheduler (<see cref="ScheduleTrajectory.Sample"/>
/// drives ScheduleFactory.CreateScheduler on a TorchSharp SGD optimizer), so the page sees exactly the lr,
/// momentum and weight decay a training run would.
/// </summary>
public sealed record SampledSchedule(string Label, ScheduleSpec Spec, ScheduleTrajectory Trajectory, int Steps)
{
    /// <summary>Steps per epoch the spec declares (1 when it counts in steps).</summary>
    public int StepsPerEpoch => Spec.StepsPerEpoch ?? 1;

    /// <summary>True when the schedule stops before the run does (OneCycleLR at total_steps): the simulations hold its last lr.</summary>
    public bool EndsEarly => Trajectory.Lr.Length - 1 < Steps;

    /// <summary>Samples <paramref name="steps"/> optimizer steps; an invalid spec throws the library's ArgumentException.</summary>
    public static SampledSchedule Sample(ScheduleSpec spec, string label, int steps, double baseLr, double weightDecay, double momentum) =>
        new(label, spec, ScheduleTrajectory.Sample(spec, steps, baseLr, weightDecay, momentum, label), steps);

    /// <summary>The lr (and co-scheduled momentum) applied by optimizer steps 0..Steps-1.</summary>
    public StepSchedule ForSimulation() =>
        new(Pad(Trajectory.Lr), Trajectory.Momentum is { } m ? Pad(m) : null);

    double[] Pad(double[] values) =>
        Enumerable.Range(0, Steps).Select(k => values[Math.Min(k, values.Length - 1)]).ToArray();
}
