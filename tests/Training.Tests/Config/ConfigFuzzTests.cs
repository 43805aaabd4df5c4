using Xunit.Abstractions;
using System.Text.Json.Nodes;
using TrainKit.Training.Config;

namespace TrainKit.Training.Tests.Config;

/// <summary>A seeded config fuzzer: every key of the default configuration gets hostile values (null, wrong types,
/// overflowing, negative, huge); parsing plus validation must either accept the config or throw an
/// <see cref="ArgumentException"/> (exit 2) that names the key, never any other exception. The model keys are walked
/// for every kind of model (<see cref="KindDefaults"/>), each on a task that builds it.</summary>
public class ConfigFuzzTests(ITestOutputHelper output)
{
    static readonly JsonNode?[] Hostile =
        [null, "x", true, -1, 0, 1e308, -1e308, 1e39, 2147483648L, long.MaxValue, 0.5, new JsonArray(), new JsonObject(), "NaN"];

    static IEnumerable<(string Path, JsonObject Parent, string Key)> Leaves(JsonObject obj, string prefix = "")
    {
        foreach (var (key, value) in obj.ToList())
        {
            string path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value is JsonObject child && key != "params") foreach (var leaf in Leaves(child, path)) yield return leaf;
            else yield return (path, obj, key);
        }
    }

    /// <summary>The default configuration, then one per other kind of model with only its model keys to walk, then
    /// one with each optional block the default leaves out (written only when set) with only that block's keys.</summary>
    internal static IEnumerable<(RunConfig Config, string Prefix)> KindDefaults()
    {
        yield return (new RunConfig(), "");
        yield return (new RunConfig { Ema = new EmaConfig() }, "ema");
        yield return (new RunConfig { Threads = 2 }, "threads");
        yield return (new RunConfig { Determinism = true }, "determinism");
        foreach (var family in Enum.GetValues<TrainKit.Models.ModelFamily>().Where(f => f != new RunConfig().Model.Family))
        {
            var model = (ModelConfig)Activator.CreateInstance(ModelKinds.ConfigType(family))!;
            yield return (new RunConfig { Task = model is GptModelConfig ? TrainingTaskKind.TransformerText : TrainingTaskKind.ResNetFashionMnist, Model = model }, "model.");
        }
        // model.init_from is written only when set: a block that sets it, so that it is walked too.
        yield return (new RunConfig { Model = new CifarResNetModelConfig { InitFrom = "weights.pt" } }, "model.");
    }

    [Fact]
    public void Every_kind_of_model_is_walked()
    {
        var walked = KindDefaults().SelectMany(d => Leaves(JsonNode.Parse(RunConfigJson.Serialize(d.Config))!.AsObject())
            .Where(l => l.Path.StartsWith("model.", StringComparison.Ordinal)).Select(l => $"{d.Config.Model.Name}:{l.Path}")).ToList();
        foreach (var family in Enum.GetValues<TrainKit.Models.ModelFamily>())
            foreach (string key in ModelKinds.Keys(family))
                Assert.Contains(walked, w => w.EndsWith($":model.{key}", StringComparison.Ordinal) &&
                    TrainKit.Models.ModelNames.FamilyOf(w.Split(':')[0]) == family);
    }

    [Fact]
    public void Hostile_values_are_accepted_or_refused_naming_the_key_never_crash()
    {
        var random = new Random(16);
        int tried = 0, clean = 0, crashes = 0, unnamed = 0;
        var failures = new List<string>();
        foreach (var (config, prefix) in KindDefaults())
        {
            string defaults = RunConfigJson.Serialize(config);
            int leafCount = Leaves(JsonNode.Parse(defaults)!.AsObject()).Count();
            for (int leaf = 0; leaf < leafCount; leaf++)
                foreach (JsonNode? value in Hostile.OrderBy(_ => random.Next()).Take(6))
                {
                    var root = JsonNode.Parse(defaults)!.AsObject();
                    var (path, parent, key) = Leaves(root).ElementAt(leaf);
                    if (!path.StartsWith(prefix, StringComparison.Ordinal)) continue;
                    parent[key] = value?.DeepClone();
                    tried++;
                    try
                    {
                        RunConfigValidator.Validate(RunConfigJson.Parse(root.ToJsonString()));
                        clean++;
                    }
                    catch (ArgumentException ex)
                    {
                        string leafName = path.Split('.')[^1];
                        if (ex.Message.Contains(leafName, StringComparison.Ordinal) || ex.Message.Contains(path, StringComparison.Ordinal)) clean++;
                        else { unnamed++; failures.Add($"{path}={value?.ToJsonString() ?? "null"}: unnamed: {ex.Message}"); }
                    }
                    catch (Exception ex)
                    {
                        crashes++;
                        failures.Add($"{path}={value?.ToJsonString() ?? "null"}: {ex.GetType().Name}: {ex.Message}");
                    }
                }
        }
        string summary = $"config fuzz: tried {tried}, clean {clean}, crashes {crashes}, unnamed {unnamed}";
        output.WriteLine(summary);
        TrainKit.Tests.HarnessLog.Write(summary);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
    }
}
