using System.Text.Json.Nodes;
using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Schedules;
using TrainKit.Schedulers.Tests.Exactness;

namespace TrainKit.Schedulers.Tests.Config;

/// <summary>HF get_scheduler names: their own namespace, HF's parameter names and rules. The curves themselves are
/// pinned by the hf_*.json fixtures (GoldenReplayTests).</summary>
public class HfKindsTests
{
    [Fact]
    public void Every_hf_get_scheduler_name_resolves_to_an_hf_kind()
    {
        foreach (var name in ScheduleCatalog.HfNames)
            Assert.Equal("hf." + name, ScheduleCatalog.Describe("hf." + name).Name);
        Assert.Equal(10, ScheduleCatalog.HfNames.Count);
    }

    [Fact]
    public void Plain_linear_and_cosine_keep_their_pytorch_meaning()
    {
        Assert.Equal("LinearLR", ScheduleCatalog.Describe("linear").Name);
        Assert.Equal("CosineAnnealingLR", ScheduleCatalog.Describe("cosine").Name);
        // HF's linear decays to 0 after its warmup; PyTorch's LinearLR ramps between factors and stays.
        var hf = ScheduleFactory.CreateSchedule(ScheduleSpec.FromJson("""{"kind":"hf.linear","params":{"num_warmup_steps":2,"num_training_steps":10}}"""), 1.0);
        Assert.Equal(0.5, hf.At(1));
        Assert.Equal(0.5, hf.At(6));
        Assert.Equal(0.0, hf.At(12));
    }

    [Fact]
    public void An_unknown_hf_name_lists_the_hf_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => ScheduleCatalog.Describe("hf.cosine_annealing"));
        foreach (var name in ScheduleCatalog.HfNames) Assert.Contains("hf." + name, ex.Message);
        var bad = Assert.Throws<ArgumentException>(() => HfSchedulers.Spec("cosine_annealing", 1, 10));
        Assert.Contains("warmup_stable_decay", bad.Message);
    }

    [Fact]
    public void Get_scheduler_requires_what_hf_requires()
    {
        Assert.Contains("num_warmup_steps", Assert.Throws<ArgumentException>(() => HfSchedulers.Spec("cosine", null, 100)).Message);
        Assert.Contains("num_training_steps", Assert.Throws<ArgumentException>(() => HfSchedulers.Spec("linear", 10)).Message);
        Assert.Empty(HfSchedulers.Spec("constant").Params);
        Assert.Equal(["num_warmup_steps"], HfSchedulers.Spec("inverse_sqrt", 10, 100).Params.Select(p => p.Key));
        var wsd = HfSchedulers.Spec("warmup_stable_decay", 5, null, new JsonObject { ["num_decay_steps"] = 10, ["num_stable_steps"] = 20 });
        Assert.Equal(1.0, ScheduleFactory.CreateSchedule(wsd, 1.0).At(20));
    }

    [Fact]
    public void Get_scheduler_drives_a_real_optimizer_with_hfs_cosine()
    {
        var optimizer = Torch.Sgd(lr: 0.1);
        var scheduler = HfSchedulers.GetScheduler("cosine", optimizer, 10, 110);
        Assert.Equal(0.0, Torch.Lr(optimizer));
        for (int i = 0; i < 60; i++) scheduler.step();
        // HF: t = 60 is half-way through the decay: 0.1·½(1 + cos(π/2)).
        Torch.Close(0.1 * 0.5 * (1 + Math.Cos(Math.PI * 0.5)), Torch.Lr(optimizer), "lr at 60");
    }

    [Theory]
    [InlineData("""{"min_lr":0.01,"min_lr_rate":0.1}""", "only one")]
    [InlineData("""{}""", "one of min_lr or min_lr_rate")]
    public void Cosine_with_min_lr_takes_exactly_one_floor(string floor, string message)
    {
        var p = JsonNode.Parse(floor)!.AsObject();
        p["num_warmup_steps"] = 2;
        p["num_training_steps"] = 20;
        var ex = Assert.Throws<ArgumentException>(() => ScheduleFactory.CreateSchedule(new ScheduleSpec { Kind = "hf.cosine_with_min_lr", Params = p }, 0.1));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Polynomial_and_min_lr_read_the_optimizers_lr_for_every_group_as_hf_does()
    {
        // HF: lr_init = optimizer.defaults["lr"]; group 1 (base 0.02) follows the same curve scaled by 0.02/0.1.
        var optimizer = Torch.Sgd(lr: 0.1, groups: 2);
        ((TorchSharp.Modules.ParamGroup)optimizer.ParamGroups.ElementAt(1)).LearningRate = 0.02;
        ((TorchSharp.Modules.ParamGroup)optimizer.ParamGroups.ElementAt(1)).InitialLearningRate = 0.02;
        var scheduler = ScheduleFactory.CreateScheduler(ScheduleSpec.FromJson(
            """{"kind":"hf.polynomial","params":{"num_warmup_steps":0,"num_training_steps":10,"lr_end":0.01}}"""), optimizer);
        for (int i = 0; i < 20; i++) scheduler.step();
        Torch.Close(0.01, Torch.Lr(optimizer, 0), "group 0 at the end");
        Torch.Close(0.02 * (0.01 / 0.1), Torch.Lr(optimizer, 1), "group 1 at the end");
        Assert.Contains("lr_end", Assert.Throws<ArgumentException>(() => new HfPolynomialSchedule(0.1, 0.1, 0, 10, lrEnd: 0.1)).Message);
    }

    [Fact]
    public void An_hf_spec_in_epochs_equals_the_same_spec_in_steps()
    {
        var epochs = ScheduleSpec.FromJson("""{"kind":"hf.warmup_stable_decay","params":{"num_warmup_steps":0.5,"num_decay_steps":2,"num_training_steps":5},"unit":"epochs","steps_per_epoch":10}""");
        var steps = ScheduleSpec.FromJson("""{"kind":"hf.warmup_stable_decay","params":{"num_warmup_steps":5,"num_decay_steps":20,"num_training_steps":50}}""");
        var a = ScheduleFactory.CreateSchedule(epochs, 0.1);
        var b = ScheduleFactory.CreateSchedule(steps, 0.1);
        for (int k = 0; k <= 60; k++) Assert.Equal(b.At(k), a.At(k / 10.0));
    }
}
