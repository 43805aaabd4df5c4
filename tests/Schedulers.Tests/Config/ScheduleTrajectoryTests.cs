using TrainKit.Schedulers.Config;

namespace TrainKit.Schedulers.Tests.Config;

public class ScheduleTrajectoryTests
{
    [Theory]
    [InlineData("steps", null, 50, 50)]
    [InlineData("epochs", 10, 5, 50)]   // 5 epochs of 10 steps: the cycle ends at step 50, not step 5
    [InlineData("epochs", 10, 20, 60)]  // a cycle longer than the sampled run: all 60 steps
    public void A_bounded_schedule_is_sampled_to_its_end_in_steps_whatever_its_unit(string unit, int? stepsPerEpoch, double totalSteps, int lastStep)
    {
        var spec = ScheduleSpec.FromJson($$"""
            {"kind":"OneCycleLR","params":{"max_lr":0.5,"total_steps":{{totalSteps}}},"unit":"{{unit}}"{{(stepsPerEpoch is int n ? $",\"steps_per_epoch\":{n}" : "")}}}
            """);
        var trajectory = ScheduleTrajectory.Sample(spec, 60, baseLr: 0.1);
        Assert.Equal(lastStep, trajectory.Steps[^1]);
        Assert.Equal(0.5, trajectory.Lr.Max(), 2); // the peak is inside the sampled part
    }
}
