using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Schedules;
using TrainKit.Schedulers.Tests.Exactness;

namespace TrainKit.Schedulers.Tests.Config;

/// <summary>timm's schedulers: their namespace, names and rules. The curves, the warmups and the noise themselves are
/// pinned by the timm_*.json fixtures (GoldenReplayTests), recorded from timm's formulas with PyTorch's generator.</summary>
public class TimmKindsTests
{
    static ISchedule Build(string json, double baseLr = 0.1) => ScheduleFactory.CreateSchedule(ScheduleSpec.FromJson(json), baseLr);

    [Fact]
    public void An_unknown_timm_name_lists_the_timm_kinds()
    {
        var ex = Assert.Throws<ArgumentException>(() => ScheduleCatalog.Describe("timm.plateau"));
        foreach (var name in new[] { "timm.cosine", "timm.poly", "timm.tanh", "timm.step", "timm.multistep" })
            Assert.Contains(name, ex.Message);
        Assert.Contains("ReduceLROnPlateau", ex.Message);
    }

    [Fact]
    public void Warmup_prefix_puts_the_warmup_before_the_first_cycle_instead_of_over_its_start()
    {
        var overlaid = Build("""{"kind":"timm.cosine","params":{"t_initial":20,"warmup_t":5}}""");
        var prefixed = Build("""{"kind":"timm.cosine","params":{"t_initial":20,"warmup_t":5,"warmup_prefix":true}}""");
        var plain = Build("""{"kind":"timm.cosine","params":{"t_initial":20}}""");
        Assert.Equal(0.0, overlaid.At(0));                 // warmup_lr_init
        Assert.Equal(0.06, overlaid.At(3), 15);             // 0 + 3·0.1/5
        Assert.Equal(plain.At(5), overlaid.At(5));          // the cosine at t = 5: the lr jumps there
        Assert.Equal(0.1, prefixed.At(5), 15);              // the cosine starts after the warmup
        Assert.Equal(plain.At(12), prefixed.At(17));
        Assert.Equal(plain.At(0), prefixed.At(5));
    }

    [Fact]
    public void Cycle_limit_ends_in_lr_min_and_cycle_decay_lowers_each_peak()
    {
        var s = Build("""{"kind":"timm.cosine","params":{"t_initial":10,"cycle_mul":2,"cycle_decay":0.5,"cycle_limit":2,"lr_min":0.001}}""");
        Assert.Equal(0.1, s.At(0), 15);
        Assert.Equal(0.05, s.At(10), 15);                   // cycle 1 starts at 10 and peaks at base·0.5
        Assert.Equal(0.001, s.At(30));                      // cycle 2 (from 10 + 20 = 30) is past the limit
        Assert.Equal(0.001, s.At(1000));
    }

    [Fact]
    public void K_decay_bends_the_cosine_without_moving_its_ends()
    {
        var plain = Build("""{"kind":"timm.cosine","params":{"t_initial":40,"cycle_limit":2}}""");
        var bent = Build("""{"kind":"timm.cosine","params":{"t_initial":40,"cycle_limit":2,"k_decay":2}}""");
        Assert.Equal(plain.At(0), bent.At(0));
        Assert.True(bent.At(10) > plain.At(10));             // k > 1 keeps the lr high for longer
        Assert.Equal(plain.At(40), bent.At(40));            // both restart at the next cycle
    }

    [Fact]
    public void Tanh_starts_at_the_base_lr_timm_sets_not_at_its_curve()
    {
        // 1 − tanh(−7) is not exactly 2, and timm never evaluates its curve at 0: the lr before the first update is base.
        var s = Build("""{"kind":"timm.tanh","params":{"t_initial":30}}""");
        Assert.Equal(0.1, s.At(0));
        var curve = new TimmCycleSchedule(0.1, TimmCycleShape.Tanh, 30);
        Assert.NotEqual(0.1, curve.At(0));
    }

    [Fact]
    public void Multistep_decays_one_unit_before_the_milestone_as_timms_bisect_does()
    {
        var s = Build("""{"kind":"timm.multistep","params":{"decay_t":[10,10,20],"decay_rate":0.5}}""");
        Assert.Equal(0.1, s.At(8));
        Assert.Equal(0.025, s.At(9), 15);                   // t + 1 = 10 passes both copies of 10
        Assert.Equal(0.0125, s.At(19), 15);
    }

    [Fact]
    public void Noise_is_a_pure_function_of_the_step_inside_its_range_and_absent_outside()
    {
        const string Noisy = """{"kind":"timm.cosine","params":{"t_initial":50,"noise_range_t":[10,40],"noise_pct":0.3,"noise_seed":7}}""";
        var noisy = Build(Noisy);
        var clean = Build("""{"kind":"timm.cosine","params":{"t_initial":50}}""");
        Assert.Equal(clean.At(9), noisy.At(9));
        Assert.Equal(clean.At(40), noisy.At(40));          // the end is exclusive
        for (int t = 10; t < 40; t++)
        {
            double ratio = noisy.At(t) / clean.At(t) - 1;
            Assert.True(Math.Abs(ratio) < 0.3, $"t={t}: noise {ratio} outside ±noise_pct");
            Assert.Equal(noisy.At(t), Build(Noisy).At(t));  // same seed, same t: same noise, in any order
        }
        Assert.NotEqual(noisy.At(20), Build(Noisy.Replace("\"noise_seed\":7", "\"noise_seed\":8")).At(20));
        // A fractional t takes the noise of its whole part.
        Assert.Equal(noisy.At(25) / clean.At(25), noisy.At(25.5) / clean.At(25.5), 12);
    }

    [Fact]
    public void A_scheduler_jumped_with_step_to_gets_the_same_noisy_lr_as_one_stepped_there()
    {
        var spec = ScheduleSpec.FromJson(KindSamples.Json["timm.cosine"]);
        using var stepped = Torch.Sgd(0.1);
        using var jumped = Torch.Sgd(0.1);
        var a = ScheduleFactory.CreateScheduler(spec, stepped);
        var b = ScheduleFactory.CreateScheduler(spec, jumped);
        for (int k = 0; k < 23; k++) a.step();
        b.step_to(23);
        Assert.Equal(a.get_last_lr().ToArray(), b.get_last_lr().ToArray());
    }

    [Theory]
    [InlineData("""{"kind":"timm.cosine","params":{"t_initial":10,"cycle_mul":0.5}}""", "cycle_mul")]
    [InlineData("""{"kind":"timm.cosine","params":{"t_initial":10,"noise_range_t":[1,2,3]}}""", "noise_range_t")]
    [InlineData("""{"kind":"timm.cosine","params":{"t_initial":10,"noise_range_t":[5,2]}}""", "noise_range_t")]
    [InlineData("""{"kind":"timm.cosine","params":{"t_initial":10,"noise_range_t":2,"noise_pct":0}}""", "noise_pct")]
    [InlineData("""{"kind":"timm.cosine","params":{"t_initial":10,"noise_range_t":2,"noise_type":"gumbel"}}""", "noise_type")]
    [InlineData("""{"kind":"timm.tanh","params":{"t_initial":10,"lb":3,"ub":-7}}""", "lb")]
    [InlineData("""{"kind":"timm.multistep","params":{"decay_t":[10,5]}}""", "decay_t")]
    [InlineData("""{"kind":"timm.step","params":{"decay_t":0}}""", "decay_t")]
    [InlineData("""{"kind":"timm.cosine","params":{"t_initial":10,"k_decya":2}}""", "k_decya")]
    public void Bad_timm_parameters_are_refused_by_name(string json, string name)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Build(json));
        Assert.Contains(name, ex.Message);
    }

    [Fact]
    public void Noise_std_is_accepted_for_timm_configs_and_changes_nothing_as_in_timm()
    {
        var a = Build("""{"kind":"timm.cosine","params":{"t_initial":30,"noise_range_t":1}}""");
        var b = Build("""{"kind":"timm.cosine","params":{"t_initial":30,"noise_range_t":1,"noise_std":5}}""");
        for (int t = 1; t < 30; t++) Assert.Equal(a.At(t), b.At(t));
    }

    [Fact]
    public void A_run_length_fills_t_initial()
    {
        Assert.Contains(ScheduleCatalog.Describe("timm.cosine").Parameters, p => p.Name == "t_initial" && p.RunLength);
        var spec = ScheduleSpec.FromJson("""{"kind":"timm.cosine","params":{"warmup_t":2}}""");
        Assert.Contains("t_initial", Assert.ThrowsAny<ArgumentException>(() => ScheduleFactory.CreateSchedule(spec, 0.1)).Message);
    }
}
