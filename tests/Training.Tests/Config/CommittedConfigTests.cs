using System.Text.Json;
using System.Text.Json.Nodes;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;

namespace TrainKit.Training.Tests.Config;

/// <summary>The committed results (docs/results, copied next to the tests) were written by earlier versions of the
/// configuration types (some before keys such as <c>accumulate</c> existed, all before the model block was split per
/// model kind): whatever those types become, every value these files hold must read back and be written again under
/// the same spelling, except the old model keys that do not apply to the file's model (<see cref="LegacyModelLayout"/>).</summary>
public class CommittedConfigTests
{
    static string Results => Path.Combine(AppContext.BaseDirectory, "results");

    public static TheoryData<string> Layouts() =>
        [.. Directory.GetFiles(Results, "experiment.json", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Results, f)).Order()];

    [Fact]
    public void Every_committed_sweep_layout_is_present()
    {
        Assert.True(Layouts().Count >= 6, $"expected the 6 committed experiment.json files under {Results}");
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_committed_sweep_layout_writes_back_every_value_it_holds(string relative)
    {
        string path = Path.Combine(Results, relative);
        ExperimentSpec spec = Sweep.LoadSpec(path);
        RunConfigValidator.Validate(spec.Base);
        string written = JsonSerializer.Serialize(spec, RunConfigJson.Options);
        JsonNode original = JsonNode.Parse(File.ReadAllText(path))!;
        AssertContains(original, JsonNode.Parse(written)!, "$");
        // Files written before the per-kind model blocks are read by the compatibility rule; newer ones already
        // hold exactly their kind's keys.
        string[] keys = [.. original["base"]!["model"]!.AsObject().Select(p => p.Key)];
        if (!LegacyModelLayout.IsOldBlock(keys))
            Assert.Equal(ModelKinds.Keys(spec.Base.Model.Family), keys.Where(k => !ModelKinds.OptionalKeys.Contains(k)));
        // Written again, the model block holds exactly its kind's keys.
        Assert.Equal(ModelKinds.Keys(spec.Base.Model.Family), JsonNode.Parse(written)!["base"]!["model"]!.AsObject().Select(p => p.Key));
        // Written again, it is stable.
        Assert.Equal(written, JsonSerializer.Serialize(JsonSerializer.Deserialize<ExperimentSpec>(written, RunConfigJson.Options), RunConfigJson.Options));
    }

    /// <summary>Every key of <paramref name="original"/> is in <paramref name="written"/> with an equal value
    /// (keys added since the file was written may appear in <paramref name="written"/> only).</summary>
    static void AssertContains(JsonNode original, JsonNode? written, string path)
    {
        if (original is JsonObject o)
        {
            JsonObject w = Assert.IsType<JsonObject>(written);
            foreach (var (key, value) in o)
            {
                // An old model key of another kind is dropped on reading (the reader checked that it held its old default).
                if (path == "$.base.model" && !w.ContainsKey(key) && LegacyModelLayout.IsOldKey(key)) continue;
                Assert.True(w.ContainsKey(key), $"{path}.{key} is no longer written");
                if (value is null) Assert.Null(w[key]);
                else AssertContains(value, w[key], $"{path}.{key}");
            }
        }
        else if (original is JsonArray a)
        {
            JsonArray w = Assert.IsType<JsonArray>(written);
            Assert.Equal(a.Count, w.Count);
            for (int i = 0; i < a.Count; i++)
                if (a[i] is null) Assert.Null(w[i]); else AssertContains(a[i]!, w[i], $"{path}[{i}]");
        }
        else Assert.True(JsonNode.DeepEquals(original, written), $"{path}: {original.ToJsonString()} became {written?.ToJsonString()}");
    }

    [Fact]
    public void A_misspelled_choice_in_an_experiment_file_names_its_key_and_the_allowed_values()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("trainkit-spec-").FullName, "experiment.json");
        File.WriteAllText(path, """{"name": "x", "base": {"optimizer": {"name": "adamx"}}}""");
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => Sweep.LoadSpec(path));
            Assert.Equal($"{path}: base.optimizer.name must be one of sgd, adam, adamw; got 'adamx'", ex.Message);
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, recursive: true); }
    }

    [Fact]
    public void The_committed_hand_written_run_config_reads_and_is_valid()
    {
        RunConfig config = RunConfigValidator.Validate(RunConfigJson.Load(Path.Combine(Results, "fmnist-resnet20", "config.json")));
        // Its choices, read through their JSON spellings, come back under the same spellings.
        string written = RunConfigJson.Serialize(config);
        Assert.Contains("\"task\": \"resnet-fashion-mnist\"", written);
        Assert.Contains("\"source\": \"fashion-mnist\"", written);
        Assert.Contains("\"name\": \"sgd\"", written);
    }
}
