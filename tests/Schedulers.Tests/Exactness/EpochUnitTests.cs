using System.Text.Json.Nodes;
using TrainKit.Schedulers.Adapter;
using TrainKit.Schedulers.Config;
using static TorchSharp.torch;

namespace TrainKit.Schedulers.Tests.Exactness;

/// <summary>Item 2: a schedule in epochs equals the same schedule in steps × steps_per_epoch, for every kind: the
/// integer-step offsets (OneCycleLR's phase ends, Noam's s = t + 1, STLR's ⌊T·cut_frac⌋, HF's max(1, W)) are steps.</summary>
public class EpochUnitTests
{
    [Fact]
    public void OneCycle_over_5_epochs_of_10_steps_is_pytorchs_trajectory()
    {
        using var scope = NewDisposeScope();
        var optimizer = Torch.Sgd(0.1, momentum: 0.9);
        var spec = ScheduleSpec.FromJson("""{"kind":"OneCycleLR","params":{"max_lr":1.0,"total_steps":5},"unit":"epochs","steps_per_epoch":10}""");
        var scheduler = ScheduleFactory.CreateScheduler(spec, optimizer);
        // OneCycleLR(SGD(lr=0.1), max_lr=1.0, epochs=5, steps_per_epoch=10): peak at step 14 (was 5), 4e-6 at step 49.
        var expected = Torch.Parse("0.040000000000000036 0.05203460215272471 0.08753494340683887 0.1447208884153457 0.2207248951078079 0.31173580522357214 0.41318995170096917 0.52 0.6268100482990309 0.7282641947764279 0.819275104892192 0.8952791115846543 0.9524650565931612 0.9879653978472753 1.0 0.9979871550490316 0.9919648264401376 0.9819815024222053 0.9681175628501273 0.9504846320134737 0.9292246799033459 0.904508879153485 0.8765362268588736 0.8455319423681344 0.8117456539497631 0.7754493889320884 0.7369353834991744 0.6965137297768985 0.654509879153485 0.6112620219362893 0.5671183644422961 0.5224343254455969 0.4775696745544034 0.43288563555770404 0.38874197806371075 0.3454941208465151 0.30349027022310154 0.26306861650082564 0.2245546110679117 0.18825834605023697 0.15447205763186567 0.12346777314112659 0.09549512084651508 0.07077932009665416 0.049519367986526286 0.03188643714987267 0.018022497577794772 0.008039173559862363 0.0020168449509684566 4e-06 0.0020168449509684566");
        for (int k = 0; k <= 50; k++)
        {
            if (k > 0) { optimizer.step(); scheduler.step(); }
            Torch.Close(expected[k], Torch.Lr(optimizer), $"step {k}");
        }
    }

    [Fact]
    public void OneCycle_takes_pytorchs_epochs_and_steps_per_epoch_form()
    {
        var form = ScheduleFactory.CreateSchedule(ScheduleSpec.Of("OneCycleLR", ("max_lr", 1.0), ("epochs", 5), ("steps_per_epoch", 10)), 0.1);
        var total = ScheduleFactory.CreateSchedule(ScheduleSpec.Of("OneCycleLR", ("max_lr", 1.0), ("total_steps", 50)), 0.1);
        for (int k = 0; k <= 50; k++) Assert.Equal(total.At(k), form.At(k));
        var ex = Assert.Throws<ArgumentException>(() => ScheduleFactory.CreateSchedule(ScheduleSpec.Of("OneCycleLR", ("max_lr", 1.0), ("epochs", 5)), 0.1));
        Assert.Equal("steps_per_epoch", ex.ParamName);
    }

    [Fact]
    public void Noam_slanted_triangular_and_hf_warmups_in_epochs_equal_their_step_forms()
    {
        using var scope = NewDisposeScope();
        // Noam in epochs: the first lr is base·d^-½·(1)·W^-1.5 with W in steps (was 1000× too large).
        var noam = ScheduleFactory.CreateScheduler(ScheduleSpec.FromJson("""{"kind":"Noam","params":{"d_model":64,"warmup_steps":1},"unit":"epochs","steps_per_epoch":100}"""), Torch.Sgd(1.0));
        Torch.Close(Math.Pow(64, -0.5) * Math.Pow(100, -1.5), noam.get_last_lr()[0], "Noam at step 0");
        // SlantedTriangular over 3 epochs of 100 steps, cut_frac 0.1: the peak is at step 30 (was 100).
        var stlr = ScheduleFactory.CreateSchedule(ScheduleSpec.FromJson("""{"kind":"SlantedTriangular","params":{"total_steps":3,"cut_frac":0.1},"unit":"epochs","steps_per_epoch":100}"""), 1.0);
        int peak = Enumerable.Range(0, 301).MaxBy(k => stlr.At(k / 100.0));
        Assert.Equal(30, peak);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_in_epochs_equals_the_same_spec_in_steps(string kind)
    {
        using var scope = NewDisposeScope();
        const int perEpoch = 7;
        var steps = KindSamples.Spec(kind) with { Unit = TimeUnit.Steps, StepsPerEpoch = null };
        if (kind == "CosineAnnealingWarmRestarts") steps = ScheduleUnits.ToSteps(KindSamples.Spec(kind));   // its sample is in epochs
        // The epoch form: every time divided by steps_per_epoch by hand (written out, not via ScheduleUnits).
        var epochs = steps with { Params = Divided(steps.Kind, steps.Params, perEpoch), Unit = TimeUnit.Epochs, StepsPerEpoch = perEpoch };
        var a = ScheduleFactory.CreateScheduler(steps, Torch.Sgd(0.1, momentum: 0.9, groups: 3));
        var b = ScheduleFactory.CreateScheduler(epochs, Torch.Sgd(0.1, momentum: 0.9, groups: 3));
        for (int k = 0; k <= 60; k++)
        {
            if (k > 0) { a.step(); b.step(); }
            for (int g = 0; g < 3; g++)
            {
                Torch.Close(a.get_last_lr()[g], b.get_last_lr()[g], $"{kind} step {k} group {g} lr");
                Assert.Equal(a.get_last_momentum()[g] ?? -1, b.get_last_momentum()[g] ?? -1, 12);
            }
        }
    }

    public static TheoryData<string> Kinds => KindSamples.Kinds();

    [Fact]
    public void A_whole_number_parameter_that_would_not_be_whole_in_steps_is_refused()
    {
        var spec = ScheduleSpec.FromJson("""{"kind":"OneCycleLR","params":{"max_lr":1.0,"total_steps":2.5},"unit":"epochs","steps_per_epoch":3}""");
        var ex = Assert.Throws<ArgumentException>(() => ScheduleFactory.CreateScheduler(spec, Torch.Sgd()));
        Assert.Equal("total_steps", ex.ParamName);
        Assert.Contains("7.5 steps", ex.Message);
    }

    static JsonObject With(JsonObject o, string name, double value) { var c = (JsonObject)o.DeepClone(); c[name] = value; return c; }

    /// <summary>Divides the kind's time parameters (and the nested specs') by steps_per_epoch and takes the
    /// steps_per_epoch-th power of per-time factors, by the metadata's units.</summary>
    static JsonObject Divided(string kindName, JsonObject p, int perEpoch)
    {
        var kind = ScheduleCatalog.Describe(kindName);
        var result = new JsonObject();
        foreach (var (name, value) in p)
        {
            var info = kind.Find(name);
            result[name] = info switch
            {
                { Type: ParamType.Schedules } => new JsonArray(((JsonArray)value!).Select(c =>
                {
                    var child = (JsonObject)c!;
                    string k = (string)child["kind"]!;
                    var inner = child["params"] as JsonObject ?? new JsonObject(child.Where(x => x.Key != "kind").Select(x => KeyValuePair.Create(x.Key, x.Value?.DeepClone())));
                    return (JsonNode)new JsonObject { ["kind"] = k, ["params"] = Divided(k, inner, perEpoch) };
                }).ToArray()),
                { Unit: ParamUnit.Time } when value is JsonArray list => new JsonArray(list.Select(x => (JsonNode)JsonValue.Create((double)x! / perEpoch)).ToArray()),
                { Unit: ParamUnit.Time } => JsonValue.Create((double)value! / perEpoch),
                { Unit: ParamUnit.PerTime } => JsonValue.Create(Math.Pow((double)value!, perEpoch)),
                _ => value?.DeepClone(),
            };
        }
        return result;
    }
}
