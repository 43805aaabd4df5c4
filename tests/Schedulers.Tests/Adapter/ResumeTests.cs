using TorchSharp.Modules;
using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Tests.Adapter;

/// <summary>Stop after N steps, save the scheduler state as JSON, rebuild optimizer and scheduler from scratch,
/// load, continue: the lrs, weight decays and momenta equal the uninterrupted run exactly.</summary>
public class ResumeTests
{
    const int Total = 60, StopAt = 23;

    public static TheoryData<string> Kinds => KindSamples.Kinds();

    [Fact]
    public void Every_kind_has_a_resume_sample()
    {
        foreach (var kind in ScheduleCatalog.Kinds)
            Assert.True(KindSamples.Json.ContainsKey(kind.Name), $"KindSamples lacks {kind.Name}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Resuming_from_json_state_continues_the_exact_sequence(string kind)
    {
        // Co-scheduled weight decay makes the saved reference values matter too.
        var spec = KindSamples.Spec(kind) with { WeightDecay = new WeightDecaySpec { Mode = TrainKit.Schedulers.Coupling.WeightDecayMode.FollowSchedule } };

        var uninterrupted = Run(spec, 0, Total, null, out _);
        var firstPart = Run(spec, 0, StopAt, null, out string json);
        var resumed = Run(spec, StopAt, Total, SchedulerState.FromJson(json), out _);

        Assert.Equal(uninterrupted.Take(StopAt + 1), firstPart);
        Assert.Equal(uninterrupted.Skip(StopAt), resumed);
        if (kind != "hf.constant")   // the one kind that is flat by definition
            Assert.True(uninterrupted.Distinct().Count() > 1, "the sample should actually move");
    }

    /// <summary>Runs steps (from, to] after construction (or after loading <paramref name="state"/>), recording
    /// (lr, wd, momentum) of every group; ReduceLROnPlateau also gets a deterministic metric every 4th step.</summary>
    static List<string> Run(ScheduleSpec spec, int from, int to, SchedulerState? state, out string savedJson)
    {
        using var scope = NewDisposeScope();
        var groups = new[] { 0.1, 0.02, 0.05 }.Select(lr => new SGD.ParamGroup([new Parameter(ones(2))], lr, momentum: 0.9, weight_decay: 1e-3));
        var optimizer = optim.SGD(groups, 0.1, momentum: 0.9);
        var scheduler = ScheduleFactory.CreateScheduler(spec, optimizer);
        if (state is not null) scheduler.load_state_dict(state);
        var trace = new List<string> { Snapshot(scheduler) };
        for (int k = from + 1; k <= to; k++)
        {
            optimizer.step();
            scheduler.step();
            if (scheduler is ReduceLROnPlateauWithWarmup && k % 4 == 0)
                scheduler.step(1.0 + (k > 30 ? 0 : 1.0 / k));   // the metric improves, then plateaus: a cut after the resume point
            trace.Add(Snapshot(scheduler));
        }
        savedJson = scheduler.state_dict().ToJson();
        return trace;
    }

    static string Snapshot(ScheduledLR s) => string.Join(";", Enumerable.Range(0, s.get_last_lr().Count).Select(i =>
        $"{s.get_last_lr()[i]:R}/{s.get_last_weight_decay()[i]:R}/{s.get_last_momentum()[i]:R}"));
}
