using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Tests.Exactness;

/// <summary>Items 3 and 8: ReduceLROnPlateau checkpoints before its first metric (best = ±∞) and counts NaN as a bad epoch.</summary>
public class PlateauTests
{
    [Theory]
    [InlineData("min")]
    [InlineData("max")]
    public void State_before_the_first_metric_round_trips_through_json(string mode)
    {
        using var scope = NewDisposeScope();
        var spec = ScheduleSpec.Of("ReduceLROnPlateau", ("mode", mode), ("patience", 0), ("factor", 0.5));
        var scheduler = (ReduceLROnPlateauWithWarmup)ScheduleFactory.CreateScheduler(spec, Torch.Sgd(0.1));
        scheduler.step();
        string json = scheduler.state_dict().ToJson();                  // threw on +∞ before
        Assert.Contains(mode == "min" ? "\"Infinity\"" : "\"-Infinity\"", json);
        var resumed = (ReduceLROnPlateauWithWarmup)ScheduleFactory.CreateScheduler(spec, Torch.Sgd(0.1));
        resumed.load_state_dict(SchedulerState.FromJson(System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString()));
        // The first metric is an improvement over ±∞ in both, the second a plateau: both cut at the same report.
        foreach (var s in new[] { scheduler, resumed }) { s.step(1.0); s.step(1.0); }
        Assert.Equal(0.05, resumed.get_last_lr()[0], 15);
        Assert.Equal(scheduler.get_last_lr()[0], resumed.get_last_lr()[0]);
    }

    [Fact]
    public void A_nan_metric_is_a_bad_epoch_like_pytorch()
    {
        using var scope = NewDisposeScope();
        var optimizer = Torch.Sgd(0.1);
        var scheduler = ScheduleFactory.CreateScheduler(ScheduleSpec.FromJson("""{"kind":"ReduceLROnPlateau","params":{"patience":1,"factor":0.5}}"""), optimizer);
        // ReduceLROnPlateau(patience=1, factor=0.5): step(1.0); step(nan) → 0.1; step(nan) → 0.05.
        scheduler.step(1.0);
        scheduler.step(double.NaN);                                     // threw before
        Assert.Equal(0.1, Torch.Lr(optimizer));
        scheduler.step(double.NaN);
        Assert.Equal(0.05, Torch.Lr(optimizer), 15);
    }

    [Fact]
    public void A_per_group_min_lr_list_must_match_the_group_count_like_pytorch()
    {
        // The numbers of the list form are pinned by ReduceLROnPlateau_per_group_min_lr.json (PyTorch 1.13).
        using var scope = NewDisposeScope();
        var spec = ScheduleSpec.FromJson("""{"kind":"ReduceLROnPlateau","params":{"min_lr":[0.01,0.001,0.0001]}}""");
        var ex = Assert.Throws<ArgumentException>(() => ScheduleFactory.CreateScheduler(spec, Torch.Sgd(0.1, groups: 2)));
        Assert.Contains("min_lr", ex.Message);
        Assert.Contains("2 parameter groups", ex.Message);
        var options = new PlateauOptions { MinLr = 0.5, MinLrs = [0.01, 0.02] };
        Assert.Equal(0.02, options.MinLrOf(1));
    }
}
