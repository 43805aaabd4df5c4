using System.Text.Json.Nodes;
using TrainKit.Sweeps.Store;
using TrainKit.Sweeps.Workers;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;

namespace TrainKit.Sweeps.Tests.Workers;

public class SweepDefinitionTests
{
    static readonly SweepDefinition Definition = new(new ExperimentSpec
    {
        Name = "kinds",
        Base = new RunConfig { Model = new CifarResNetModelConfig { Width = 0.25 }, Steps = 4 },
        Variants = [new VariantSpec("cosine")],
        Seeds = [0],
    });

    [Fact]
    public void A_sweep_a_store_holds_in_an_older_layout_is_the_same_sweep_and_another_experiment_is_still_refused()
    {
        string folder = Directory.CreateTempSubdirectory("trainkit-definition-").FullName;
        try
        {
            TrialStore store = TrialStores.Open("sqlite:" + Path.Combine(folder, "trials.db"));
            // As a version before the model split stored it: the flat model block with every key.
            var old = JsonNode.Parse(Definition.ToJson())!.AsObject();
            old["experiment"]!["base"]!["model"] = JsonNode.Parse(
                """{"name": "resnet20", "width": 0.25, "layers": 4, "embedding": 128, "heads": 4, "context": 64, "dropout": 0, "norm": "pre"}""");
            store.AddSweep(new SweepRecord("kinds", old.ToJsonString(), folder), []);

            var cells = Definition.Register(store, Path.Combine(folder, "out"));
            Assert.Single(cells);
            Assert.Equal(old.ToJsonString(), store.Sweep("kinds").SpecJson);   // kept as stored
            Assert.Equal(1, store.Counts("kinds").Pending);

            var edited = Definition with { Experiment = Definition.Experiment with { Base = Definition.Experiment.Base with { Steps = 8 } } };
            var ex = Assert.Throws<ArgumentException>(() => edited.Register(store, Path.Combine(folder, "out")));
            Assert.Contains("already holds a different sweep named 'kinds'", ex.Message);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
