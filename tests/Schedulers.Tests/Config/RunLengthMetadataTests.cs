using TrainKit.Schedulers.Config;

namespace TrainKit.Schedulers.Tests.Config;

/// <summary>Which parameters are "the run's length" is catalog metadata (<see cref="ParamInfo.RunLength"/>), read by
/// the trainer's binding: these tests pin what the catalog says.</summary>
public class RunLengthMetadataTests
{
    [Fact]
    public void The_run_length_parameters_are_total_steps_T_max_num_training_steps_and_t_initial_wherever_a_kind_has_them()
    {
        // timm's t_initial is the length of the first cycle; its factory sets it to the run's length (cycle_limit 1).
        string[] lengthNames = ["total_steps", "T_max", "num_training_steps", "t_initial"];
        var all = ScheduleCatalog.Kinds.SelectMany(k => k.Parameters.Select(p => (Kind: k.Name, Param: p))).ToList();
        Assert.All(all, x => Assert.True(x.Param.RunLength == lengthNames.Contains(x.Param.Name),
            $"{x.Kind}.{x.Param.Name}: RunLength is {x.Param.RunLength}"));
        Assert.Contains(all, x => x.Kind == "CosineAnnealingLR" && x.Param is { Name: "T_max", RunLength: true });
        Assert.Contains(all, x => x.Kind == "hf.linear" && x.Param is { Name: "num_training_steps", RunLength: true });
        Assert.Contains(all, x => x.Kind == "timm.cosine" && x.Param is { Name: "t_initial", RunLength: true });
    }

    [Fact]
    public void A_run_length_parameter_with_alternatives_names_parameters_of_its_own_kind()
    {
        foreach (KindInfo kind in ScheduleCatalog.Kinds)
            foreach (ParamInfo p in kind.Parameters)
                Assert.All(p.ReplacedBy, name => Assert.True(kind.Find(name) is not null, $"{kind.Name}.{p.Name} is replaced by unknown '{name}'"));
        Assert.Equal(["epochs", "steps_per_epoch"], ScheduleCatalog.Describe("OneCycleLR").Find("total_steps")!.ReplacedBy);
        Assert.Equal(["num_stable_steps"], ScheduleCatalog.Describe("hf.warmup_stable_decay").Find("num_training_steps")!.ReplacedBy);
        // Only optional parameters can have a stand-in: a required one must be given (or filled) itself.
        Assert.All(ScheduleCatalog.Kinds.SelectMany(k => k.Parameters).Where(p => p.ReplacedBy.Count > 0), p => Assert.False(p.Required));
    }

    [Fact]
    public void The_metadata_json_tells_a_form_which_parameters_the_run_fills()
    {
        string json = ScheduleCatalog.MetadataJson([ScheduleCatalog.Describe("OneCycleLR")]);
        Assert.Contains("\"run_length\": true", json);
        Assert.Contains("\"replaced_by\": [", json);
    }
}
