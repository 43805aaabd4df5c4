using TrainKit.Schedulers.Config;

namespace TrainKit.Schedulers.Tests.Config;

/// <summary>JSON null where a spec needs a value is an error naming the key, not a NullReferenceException later
/// (found by the explorer's request fuzzer).</summary>
public class ScheduleSpecNullTests
{
    [Theory]
    [InlineData("""{"kind": "StepLR", "params": null}""", "params")]
    [InlineData("""{"kind": null, "params": {"step_size": 2}}""", "kind")]
    public void A_null_kind_or_params_is_refused_by_name(string json, string key)
    {
        var ex = Assert.Throws<ArgumentException>(() => ScheduleSpec.FromJson(json));
        Assert.Equal(key, ex.ParamName);
        Assert.Contains($"'{key}' is null", ex.Message);
    }
}
