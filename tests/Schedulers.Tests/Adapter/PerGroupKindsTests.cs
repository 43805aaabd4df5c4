using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Tests.Exactness;

namespace TrainKit.Schedulers.Tests.Adapter;

/// <summary>A different kind per parameter group (PyTorch: LambdaLR with a list of lambdas; here any kinds): each group
/// follows its own closed form, and only the group whose kind cycles momentum has its momentum cycled.</summary>
public class PerGroupKindsTests
{
    static readonly string[] Specs =
    [
        """{"kind":"OneCycleLR","params":{"max_lr":0.4,"total_steps":60}}""",
        """{"kind":"timm.cosine","params":{"t_initial":20,"cycle_limit":3,"warmup_t":4,"noise_range_t":[5,30],"noise_pct":0.2}}""",
        """{"kind":"StepLR","params":{"step_size":7,"gamma":0.5}}""",
    ];

    [Fact]
    public void Each_group_follows_its_own_kind_and_only_the_cycling_group_moves_its_momentum()
    {
        var optimizer = Torch.Sgd(lr: 0.1, momentum: 0.9, groups: 3);
        var scheduler = new ScheduledLR(optimizer, (lr, group) => ScheduleFactory.CreateSchedule(ScheduleSpec.FromJson(Specs[group]), new GroupContext(lr, group, 3)));
        var alone = Specs.Select(s => ScheduleFactory.CreateSchedule(ScheduleSpec.FromJson(s), 0.1)).ToArray();
        var momenta = new List<double>();
        for (int k = 0; k <= 50; k++)
        {
            if (k > 0) { optimizer.step(); scheduler.step(); }
            for (int g = 0; g < 3; g++) Assert.Equal(alone[g].At(k), Torch.Lr(optimizer, g), 15);
            momenta.Add(Torch.Momentum(optimizer, 0));
            Assert.Equal(0.9, Torch.Momentum(optimizer, 1));
            Assert.Equal(0.9, Torch.Momentum(optimizer, 2));
        }
        Assert.True(momenta.Max() - momenta.Min() > 0.05, "OneCycleLR's group should cycle its momentum");
    }
}
