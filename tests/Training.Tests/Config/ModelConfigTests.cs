using System.Text.Json.Nodes;
using TrainKit.Models;
using TrainKit.Models.Transformer;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;
using TrainKit.Training.Tasks;

namespace TrainKit.Training.Tests.Config;

/// <summary>The model block per kind of model: the name picks the record, a key of another kind is refused by name,
/// each kind writes only its keys, and files written before the split still read (<see cref="LegacyModelLayout"/>).</summary>
public class ModelConfigTests
{
    /// <summary>The flat block every version before the split wrote, with the old defaults, for <paramref name="name"/>.</summary>
    static string OldBlock(string name, string overrides = "") =>
        $$"""{"name": "{{name}}", "width": 1, "layers": 4, "embedding": 128, "heads": 4, "context": 64, "dropout": 0, "norm": "pre"{{overrides}}}""";

    [Theory]
    [InlineData("resnet20", "heads", "4", "name, width")]
    [InlineData("preact-resnet18", "layers", "2", "name, width")]
    [InlineData("mlp-tanh", "norm", "\"post\"", "name, width")]
    [InlineData("gpt", "width", "0.5", "name, layers, embedding, heads, context, dropout, norm")]
    public void A_key_of_another_kind_is_refused_naming_the_key_the_model_and_its_keys(string model, string key, string value, string keys)
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigJson.Parse($$$"""{"model": {"name": "{{{model}}}", "{{{key}}}": {{{value}}}}}""", "run.json"));
        Assert.Equal($"run.json: model.{key} does not apply to {model} (its keys: {keys})", ex.Message);
    }

    [Fact]
    public void A_key_of_no_kind_is_an_unknown_key()
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigJson.Parse("""{"model": {"name": "resnet20", "depth": 20}}""", "run.json"));
        Assert.Equal("run.json: unknown key 'model.depth': resnet20 has no such key (its keys: name, width)", ex.Message);
    }

    [Fact]
    public void An_unknown_model_name_lists_the_known_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigJson.Parse("""{"model": {"name": "vgg16"}}""", "run.json"));
        Assert.Equal("run.json: model.name: unknown model 'vgg16'; known: resnet20, resnet32, resnet44, resnet56, resnet110, preact-resnet18, mlp-tanh, gpt " +
            "(any resnet{6n+2} works)", ex.Message);
        Assert.Contains("model.name must be a model name", Assert.Throws<ArgumentException>(() => RunConfigJson.Parse("""{"model": {"name": 5}}""")).Message);
    }

    [Fact]
    public void A_bad_value_inside_the_block_names_its_dotted_key()
    {
        Assert.Contains("model.norm must be one of pre, post; got 'sandwich'",
            Assert.Throws<ArgumentException>(() => RunConfigJson.Parse("""{"model": {"name": "gpt", "norm": "sandwich"}}""")).Message);
        Assert.Contains("'model.width'", Assert.Throws<ArgumentException>(() => RunConfigJson.Parse("""{"model": {"width": "wide"}}""")).Message);
        Assert.Contains("'model.width' is given twice", Assert.Throws<ArgumentException>(() => RunConfigJson.Parse("""{"model": {"width": 1, "width": 2}}""")).Message);
    }

    [Fact]
    public void In_an_experiment_file_the_refusal_names_the_key_under_base()
    {
        string folder = Directory.CreateTempSubdirectory("trainkit-modelkind-").FullName;
        try
        {
            string path = Path.Combine(folder, "experiment.json");
            File.WriteAllText(path, """{"name": "x", "base": {"model": {"name": "resnet20", "heads": 2}}}""");
            var ex = Assert.Throws<InvalidDataException>(() => Sweep.LoadSpec(path));
            Assert.Equal($"{path}: base.model.heads does not apply to resnet20 (its keys: name, width)", ex.Message);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    public static TheoryData<string, ModelConfig> Kinds() => new()
    {
        { "resnet56", new CifarResNetModelConfig { Name = "resnet56", Width = 0.25 } },
        { "preact-resnet18", new PreActResNetModelConfig { Width = 0.5 } },
        { "mlp-tanh", new TanhMlpModelConfig { Width = 2 } },
        { "gpt", new GptModelConfig { Layers = 2, Embedding = 48, Heads = 3, Context = 16, Dropout = 0.1, Norm = LayerNormPlacement.PostLN } },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_writes_only_its_keys_and_reads_back_equal(string name, ModelConfig model)
    {
        var config = new RunConfig { Task = model is GptModelConfig ? TrainingTaskKind.TransformerText : TrainingTaskKind.ResNetFashionMnist, Model = model };
        string json = RunConfigJson.Serialize(config);
        var block = JsonNode.Parse(json)!["model"]!.AsObject();
        Assert.Equal(name, block["name"]!.GetValue<string>());
        Assert.Equal(ModelKinds.Keys(model.Family), block.Select(p => p.Key));
        RunConfig read = RunConfigValidator.Validate(RunConfigJson.Parse(json));
        Assert.Equal(model, read.Model);
        Assert.Equal(json, RunConfigJson.Serialize(read));
    }

    [Fact]
    public void The_name_picks_the_kind_and_a_left_out_name_is_resnet20()
    {
        Assert.IsType<CifarResNetModelConfig>(RunConfigJson.Parse("""{"model": {"width": 0.5}}""").Model);
        Assert.IsType<PreActResNetModelConfig>(RunConfigJson.Parse("""{"model": {"name": "preact-resnet18"}}""").Model);
        Assert.IsType<TanhMlpModelConfig>(RunConfigJson.Parse("""{"model": {"name": "mlp-tanh"}}""").Model);
        var gpt = Assert.IsType<GptModelConfig>(RunConfigJson.Parse("""{"model": {"name": "gpt", "heads": 8}}""").Model);
        Assert.Equal(new GptModelConfig { Heads = 8 }, gpt);
    }

    [Theory]
    [InlineData("resnet20", typeof(CifarResNetModelConfig))]
    [InlineData("preact-resnet18", typeof(PreActResNetModelConfig))]
    [InlineData("mlp-tanh", typeof(TanhMlpModelConfig))]
    [InlineData("gpt", typeof(GptModelConfig))]
    public void An_old_flat_block_reads_dropping_the_keys_its_model_never_read(string name, Type kind)
    {
        RunConfig config = RunConfigJson.Parse($$"""{"model": {{OldBlock(name)}}}""");
        Assert.IsType(kind, config.Model);
        Assert.Equal(ModelKinds.Keys(config.Model.Family), JsonNode.Parse(RunConfigJson.Serialize(config))!["model"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void An_old_flat_block_with_a_foreign_key_off_its_default_is_refused_naming_it()
    {
        // The old version ignored heads on a ResNet; reading it silently would hide that the file asked for something.
        var ex = Assert.Throws<ArgumentException>(() => RunConfigJson.Parse($$"""{"model": {{OldBlock("resnet20").Replace("\"heads\": 4", "\"heads\": 8", StringComparison.Ordinal)}}}""", "old.json"));
        Assert.StartsWith("old.json: model.heads does not apply to resnet20 (its keys: name, width); this file was written by an older version", ex.Message);
    }

    [Fact]
    public void Only_a_complete_old_block_gets_the_old_rule_a_new_file_with_a_foreign_default_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigJson.Parse("""{"model": {"name": "resnet20", "heads": 4}}"""));
        Assert.Contains("model.heads does not apply to resnet20", ex.Message);
    }

    [Fact]
    public void A_config_read_from_the_old_layout_hashes_as_it_did_and_as_the_same_run_written_new()
    {
        // The quick preset's constant cell, hashed by the version before the split (86829c9): unchanged runs keep their hash.
        Cell cell = new Sweep(Presets.Get("quick"), "/nonexistent").Cells()[0];
        Assert.Equal("0da265f3bded34efd6e0bacc9290d662eb5524d2b5f8c2ffd35f534a96f7b0ab", ConfigHash.Of(cell.Config));
        Assert.Equal("fd935ae01a6894c4c70fecf5e7f4182495612aa99a467138b02251be4cb6e644", ConfigFingerprint.Of(cell.Config));
        // Any kind read from an old flat block hashes like the same record built new.
        var old = JsonNode.Parse(RunConfigJson.Serialize(new RunConfig { Task = TrainingTaskKind.TransformerText, Model = new GptModelConfig() }))!.AsObject();
        old["model"] = JsonNode.Parse(OldBlock("gpt"));
        RunConfig fromOld = RunConfigJson.Parse(old.ToJsonString());
        Assert.Equal(ConfigHash.Of(new RunConfig { Task = TrainingTaskKind.TransformerText, Model = new GptModelConfig() }), ConfigHash.Of(fromOld));
        // and a changed model key changes it.
        Assert.NotEqual(ConfigHash.Of(fromOld), ConfigHash.Of(fromOld with { Model = new GptModelConfig { Heads = 8 } }));
    }

    [Fact]
    public void A_record_built_in_code_with_a_name_of_another_kind_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(new RunConfig { Model = new CifarResNetModelConfig { Name = "mlp-tanh" } }));
        Assert.Contains("model.name 'mlp-tanh' does not name a CifarResNet model", ex.Message);
        Assert.Contains("depth must be 6n+2",
            Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(new RunConfig { Model = new CifarResNetModelConfig { Name = "resnet21" } })).Message);
    }

    [Theory]
    [InlineData(TrainingTaskKind.TransformerText, "resnet20", "task transformer-text trains a language model and builds only gpt, not model.name 'resnet20'")]
    [InlineData(TrainingTaskKind.ResNetFashionMnist, "gpt", "task resnet-fashion-mnist trains an image classifier and builds only resnet20, resnet32, resnet44, resnet56, resnet110, preact-resnet18, mlp-tanh")]
    [InlineData(TrainingTaskKind.ResNetCifar10, "gpt", "task resnet-cifar10 trains an image classifier")]
    [InlineData(TrainingTaskKind.FullBatchMse, "gpt", "task full-batch-mse trains an image classifier")]
    public void Each_task_refuses_a_model_it_cannot_build_by_name(TrainingTaskKind task, string model, string message)
    {
        var config = new RunConfig { Task = task, Model = RunConfigJson.Parse($$$"""{"model": {"name": "{{{model}}}"}}""").Model };
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => RunConfigValidator.Validate(config)).Message);
        // The task itself refuses it too (a task built without the validator), before reading any data.
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => BuildWithoutValidation(config)).Message);
    }

    static IDisposable BuildWithoutValidation(RunConfig c) => c.Task switch
    {
        TrainingTaskKind.TransformerText => new LanguageModelTask(c, TorchSharp.torch.CPU),
        TrainingTaskKind.FullBatchMse => new FullBatchMseTask(c, TorchSharp.torch.CPU),
        _ => new ImageClassificationTask(c, TorchSharp.torch.CPU),
    };

    [Fact]
    public void The_image_names_and_gpt_are_every_kind()
    {
        Assert.Equal(Enum.GetValues<ModelFamily>().Order(), ModelNames.Known.Select(n => ModelNames.FamilyOf(n)!.Value).Distinct().Order());
    }
}
