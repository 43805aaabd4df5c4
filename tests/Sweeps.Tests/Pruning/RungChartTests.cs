using TrainKit.Sweeps.Pruning;
using TrainKit.Sweeps.Store;

namespace TrainKit.Sweeps.Tests.Pruning;

public class RungChartTests
{
    static readonly AshaConfig Loss = new("validation_eval_loss", "min", MinResource: 4, ReductionFactor: 3, MaxResource: 24, Unit: "steps", Brackets: 3);

    [Fact]
    public void Pruned_and_finished_trials_are_drawn_and_a_diverged_loss_does_not_stop_the_chart()
    {
        RungPath[] paths =
        [
            new("t0", TrialState.Done, 0, [(4, 2.3), (12, 2.2), (24, 1.9)]),
            new("t1", TrialState.Pruned, 0, [(4, 7.3e5)]),
            new("t2", TrialState.Pruned, 0, [(4, 2.4), (12, 3.8)]),
            new("t3", TrialState.Done, 1, [(12, 42.8), (24, 2.6)]),
            new("t4", TrialState.Done, 2, [(24, 2.25)]),
            new("t5", TrialState.Pruned, 1, [(12, double.NaN)]), // a NaN loss: left out, not drawn at 0
        ];
        string file = Path.Combine(Directory.CreateTempSubdirectory("trainkit-rungs-").FullName, RungChart.FileName);
        Assert.True(RungChart.Save(paths, Loss, file));
        Assert.True(new FileInfo(file).Length > 10_000);
    }

    [Fact]
    public void Nothing_is_written_when_no_trial_reported_a_rung()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("trainkit-rungs-").FullName, RungChart.FileName);
        Assert.False(RungChart.Save([new RungPath("t0", TrialState.Pruned, 0, [(4, double.NaN)])], Loss, file));
        Assert.False(File.Exists(file));
    }
}
