using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;

namespace TrainKit.Training.Tests.Reports;

public class ClaimAnchorsTests
{
    [Fact]
    public void Every_claim_preset_and_the_quick_one_name_what_to_read_them_against()
    {
        foreach (string name in Presets.Names)
        {
            bool claim = Presets.Get(name).Claim is not null;
            if (claim || name == "quick") Assert.False(string.IsNullOrWhiteSpace(ClaimAnchors.For(name)), $"{name} has no anchors");
        }
        Assert.Null(ClaimAnchors.For("wd-coupling")); // exploratory: no claim to anchor
        Assert.Matches(@"^\d+\.\d\d %$", ClaimAnchors.CeilingAccuracy);
        Assert.Contains(ClaimAnchors.CeilingAccuracy, ClaimAnchors.For("restarts"));
    }
}
