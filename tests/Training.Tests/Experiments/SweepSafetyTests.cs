using TrainKit.Training.Checkpoints;
using TrainKit.Training.Experiments;

namespace TrainKit.Training.Tests.Experiments;

public class SweepSafetyTests
{
    static ExperimentSpec Spec(string variant = "cosine", params long[] seeds) => new()
    {
        Name = "safety",
        Variants = [new VariantSpec(variant)],
        Seeds = seeds.Length > 0 ? [.. seeds] : [0],
    };

    [Theory]
    [InlineData("../..")]
    [InlineData("/tmp/elsewhere")]
    [InlineData("a/b")]
    [InlineData("")]
    public void A_variant_name_that_is_a_path_is_refused(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sweep(Spec(name), "/nonexistent").Cells());
        Assert.Contains($"variant name '{name}'", ex.Message);
    }

    [Fact]
    public void A_seed_listed_twice_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sweep(Spec("cosine", 0, 0), "/nonexistent").Cells());
        Assert.Contains("seed 0 twice", ex.Message);
    }

    [Fact]
    public void A_cell_another_runner_holds_is_refused_naming_its_pid_and_not_touched()
    {
        string outDir = Directory.CreateTempSubdirectory("trainkit-sweep-").FullName;
        var sweep = new Sweep(Spec(), outDir);
        Cell cell = sweep.Cells()[0];
        using (RunFolderLock.Acquire(sweep.CellDirectory(cell), RunFolderLock.CellLockFile, "sweep cell"))
        {
            bool ran = false;
            var ex = Assert.Throws<ArgumentException>(() => sweep.Run(Shard.All, (_, _) => ran = true));
            Assert.Contains($"sweep cell {sweep.CellDirectory(cell)} is in use by another process (PID {Environment.ProcessId})", ex.Message);
            Assert.False(ran);
            Assert.False(sweep.IsDone(cell));
        }
    }
}

public class FinishedCellCheckTests
{
    static ExperimentSpec Spec(double lr, long steps = 10) => new()
    {
        Name = "edited",
        Variants = [new VariantSpec("cosine")],
        Seeds = [0],
        Base = new TrainKit.Training.Config.RunConfig { Steps = steps, Optimizer = new TrainKit.Training.Config.OptimizerConfig { Lr = lr } },
    };

    /// <summary>Stands in for training: writes the cell's config.json as the trainer does, nothing else.</summary>
    static void WriteConfig(Cell cell, string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), TrainKit.Training.Config.RunConfigJson.Serialize(cell.Config));
    }

    [Fact]
    public void A_finished_cell_whose_experiment_changed_is_refused_naming_the_key_and_kept()
    {
        string outDir = Directory.CreateTempSubdirectory("trainkit-edited-").FullName;
        try
        {
            Assert.Equal(1, new Sweep(Spec(0.1), outDir).Run(Shard.All, WriteConfig).Ran);
            var edited = new Sweep(Spec(0.2), outDir);
            var ex = Assert.Throws<ArgumentException>(() => edited.Run(Shard.All, (_, _) => Assert.Fail("a finished cell trained again")));
            Assert.Contains("finished cell cosine__seed0 was trained with another configuration", ex.Message);
            Assert.Contains("optimizer.lr (0.1 → 0.2)", ex.Message);
            Assert.True(edited.IsDone(edited.Cells()[0]));
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    [Fact]
    public void A_finished_cell_is_skipped_when_only_how_often_changed_and_refused_when_its_length_changed()
    {
        string outDir = Directory.CreateTempSubdirectory("trainkit-edited-").FullName;
        try
        {
            new Sweep(Spec(0.1, steps: 10), outDir).Run(Shard.All, WriteConfig);
            var moreLogging = Spec(0.1, steps: 10) with { Base = Spec(0.1, steps: 10).Base with { LogEvery = 1, EvalEvery = 5 } };
            Assert.Equal(new SweepOutcome(0, 1), new Sweep(moreLogging, outDir).Run(Shard.All, (_, _) => Assert.Fail("a finished cell trained again")));
            var longer = new Sweep(Spec(0.1, steps: 20), outDir);
            var ex = Assert.Throws<ArgumentException>(() => longer.Run(Shard.All, (_, _) => Assert.Fail("a finished cell trained again")));
            Assert.Contains("steps (10 → 20)", ex.Message);
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    [Fact]
    public void A_finished_cell_written_before_the_model_split_is_skipped_not_refused()
    {
        string outDir = Directory.CreateTempSubdirectory("trainkit-edited-").FullName;
        try
        {
            // config.json as an older version wrote it: the flat model block with every key.
            new Sweep(Spec(0.1), outDir).Run(Shard.All, (cell, folder) =>
            {
                WriteConfig(cell, folder);
                var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!.AsObject();
                config["model"] = System.Text.Json.Nodes.JsonNode.Parse(
                    """{"name": "resnet20", "width": 1, "layers": 4, "embedding": 128, "heads": 4, "context": 64, "dropout": 0, "norm": "pre"}""");
                File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
            });
            Assert.Equal(new SweepOutcome(0, 1), new Sweep(Spec(0.1), outDir).Run(Shard.All, (_, _) => Assert.Fail("a finished cell trained again")));
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }
}

public class VariantModelKindTests
{
    [Fact]
    public void A_variant_naming_another_kind_of_model_does_not_inherit_the_base_models_keys()
    {
        var spec = new ExperimentSpec
        {
            Name = "kinds",
            Base = new TrainKit.Training.Config.RunConfig { Model = new TrainKit.Training.Config.CifarResNetModelConfig { Width = 0.5 } },
            Variants =
            [
                new VariantSpec("resnet56", Overrides: new System.Text.Json.Nodes.JsonObject { ["model"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "resnet56" } }),
                new VariantSpec("gpt", Overrides: System.Text.Json.Nodes.JsonNode.Parse("""{"task": "transformer-text", "model": {"name": "gpt", "heads": 2}}""")!.AsObject()),
                new VariantSpec("gpt-wide", Overrides: System.Text.Json.Nodes.JsonNode.Parse("""{"task": "transformer-text", "model": {"name": "gpt", "width": 2}}""")!.AsObject()),
            ],
            Seeds = [0],
        };
        var sweep = new Sweep(spec with { Variants = spec.Variants.Take(2).ToList() }, "/nonexistent");
        var cells = sweep.Cells();
        // Same kind: the base's width carries over; another kind: its defaults, plus what the variant set.
        Assert.Equal(new TrainKit.Training.Config.CifarResNetModelConfig { Name = "resnet56", Width = 0.5 }, cells[0].Config.Model);
        Assert.Equal(new TrainKit.Training.Config.GptModelConfig { Heads = 2 }, cells[1].Config.Model);
        // A key the variant gives itself is still refused when it does not apply.
        var ex = Assert.Throws<ArgumentException>(() => new Sweep(spec, "/nonexistent").Cells());
        Assert.Contains("model.width does not apply to gpt", ex.Message);
    }
}
