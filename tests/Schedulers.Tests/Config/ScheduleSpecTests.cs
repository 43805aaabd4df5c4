using System.Text.Json.Nodes;
using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Golden;

namespace TrainKit.Schedulers.Tests.Config;

public class ScheduleSpecTests
{
    public static TheoryData<string> Kinds => KindSamples.Kinds();

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_spec_round_trips_through_json_and_builds_the_same_schedule(string kind)
    {
        var spec = KindSamples.Spec(kind) with
        {
            WeightDecay = new WeightDecaySpec { Mode = TrainKit.Schedulers.Coupling.WeightDecayMode.ConstantProduct },
            Momentum = new MomentumSpec { Mode = TrainKit.Schedulers.Coupling.MomentumMode.InverseToLr, BaseMomentum = 0.8, MaxMomentum = 0.95 },
        };
        string json = spec.ToJson();
        var back = ScheduleSpec.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Contains("\"constant_product\"", json);
        Assert.Contains("\"inverse_to_lr\"", json);
        var a = ScheduleFactory.CreateSchedule(spec, new GroupContext(0.1, 1, 3));
        var b = ScheduleFactory.CreateSchedule(back, new GroupContext(0.1, 1, 3));
        for (int t = 0; t <= 50; t++) Assert.Equal(a.At(t), b.At(t));
    }

    [Fact]
    public void Golden_files_read_as_specs()
    {
        foreach (var file in GoldenFolder.Files())
        {
            var spec = ScheduleSpecText.Parse(file);
            var golden = GoldenFile.Load(file);
            Assert.Equal(golden.Kind, spec.Kind);
            Assert.Equal(golden.Params.ToJsonString(), spec.Params.ToJsonString());
        }
    }

    [Fact]
    public void Shorthand_text_parses_numbers_lists_and_words()
    {
        var spec = ScheduleSpecText.Parse("MultiStepLR:milestones=[30,60],gamma=0.1");
        Assert.Equal("MultiStepLR", spec.Kind);
        Assert.Equal("[30,60]", spec.Params["milestones"]!.ToJsonString());
        Assert.Equal(0.1, spec.Params["gamma"]!.GetValue<double>());
        Assert.Equal("cosine", ScheduleSpecText.Parse("WSD:decay_type=cosine").Params["decay_type"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => ScheduleSpecText.Parse("NoSuch:x=1"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Metadata_describes_every_parameter_and_its_ranges_are_enforced(string kind)
    {
        var info = ScheduleCatalog.Describe(kind);
        Assert.False(string.IsNullOrWhiteSpace(info.Description));
        var sample = KindSamples.Spec(kind);
        ScheduleFactory.CreateSchedule(sample, new GroupContext(0.1, 0, 3));   // the sample itself is valid
        foreach (var p in info.Parameters)
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{kind}.{p.Name} has no description");
            Assert.True(p.Required || p.Default is not null || p.DefaultNote is not null, $"{kind}.{p.Name}: neither required nor defaulted");
            foreach (var bad in OutOfRange(p))
            {
                var spec = sample with { Params = (JsonObject)sample.Params.DeepClone() };
                spec.Params[p.Name] = bad;
                var ex = Assert.ThrowsAny<ArgumentException>(() => ScheduleFactory.CreateSchedule(spec, new GroupContext(0.1, 0, 3)));
                Assert.Contains(p.Name, ex.Message);
            }
        }
    }

    /// <summary>Values just outside a parameter's documented range (or an invalid choice).</summary>
    static IEnumerable<JsonNode> OutOfRange(ParamInfo p)
    {
        if (p.Choices is not null) { yield return JsonValue.Create("not-a-choice"); yield break; }
        if (p.Type is not (ParamType.Number or ParamType.Integer or ParamType.NumberOrPerGroup)) yield break;
        if (p.Min is double min) yield return JsonValue.Create(p.MinExclusive ? min : min - 1);
        if (p.Max is double max) yield return JsonValue.Create(p.MaxExclusive ? max : max + 0.5);
    }

    [Fact]
    public void Copy_as_csharp_names_the_kind_and_every_parameter()
    {
        var spec = KindSamples.Spec("OneCycleLR") with { WeightDecay = new WeightDecaySpec { Mode = TrainKit.Schedulers.Coupling.WeightDecayMode.FollowSchedule } };
        string code = CSharpSnippet.For(spec);
        Assert.Contains("Kind = \"OneCycleLR\"", code);
        Assert.Contains("[\"max_lr\"] = new JsonArray(0.5, 0.05, 0.2)", code);
        Assert.Contains("[\"total_steps\"] = 80.0", code); // a double literal: JsonValue<double>, what ParamReader reads
        Assert.Contains("[\"three_phase\"] = true", code);
        Assert.Contains("WeightDecayMode.FollowSchedule", code);
        Assert.Contains("ScheduleFactory.CreateScheduler(spec, optimizer)", code);
    }
}
