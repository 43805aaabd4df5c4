using System.Text.Json;
using System.Text.RegularExpressions;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;

namespace TrainKit.Training.Tests.Reports;

/// <summary>Every committed report (docs/results/*/provenance.json, copied next to the tests) records the command
/// that made it and the SHA-256 of each cell's resolved configuration. When a preset changes (a step size, a run
/// length, a default the preset inherits), its committed report no longer describes what the preset runs: this test
/// fails until the report is regenerated or the change is reverted.</summary>
public partial class CommittedReportProvenanceTests
{
    static string Results => Path.Combine(AppContext.BaseDirectory, "results");

    [GeneratedRegex(@"^trainkit compare --preset (?<preset>[A-Za-z0-9._-]+)(?: --seeds (?<seeds>\d+))?(?: --(?:out|report-only) \S+)?$")]
    private static partial Regex PresetCommand();

    public static TheoryData<string> Reports() =>
        [.. Directory.GetFiles(Results, Provenance.FileName, SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Results, f)).Order()];

    [Fact]
    public void The_committed_reports_with_provenance_are_present()
    {
        Assert.Contains(Path.Combine("quick", Provenance.FileName), Reports());
    }

    [Theory]
    [MemberData(nameof(Reports))]
    public void A_committed_report_matches_what_its_preset_resolves_to_today(string relative)
    {
        var document = JsonSerializer.Deserialize<Provenance.Document>(File.ReadAllText(Path.Combine(Results, relative)), RunConfigJson.Options)!;
        Match command = PresetCommand().Match(document.Command ?? "");
        Assert.True(command.Success, $"{relative}: command '{document.Command}' is not a preset run this test can re-resolve");
        int? seeds = command.Groups["seeds"].Success ? int.Parse(command.Groups["seeds"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

        var today = Hashes(Presets.Get(command.Groups["preset"].Value, seeds));

        Assert.Equal(document.ConfigSha256.Keys.Order(), today.Keys.Order());
        var changed = today.Where(c => document.ConfigSha256[c.Key] != c.Value).Select(c => c.Key).ToList();
        Assert.True(changed.Count == 0, $"{relative}: the preset now resolves cells {string.Join(", ", changed)} differently from the committed report; regenerate it");
    }

    [Fact]
    public void Changing_one_value_of_a_preset_changes_that_cells_hash_only()
    {
        ExperimentSpec quick = Presets.Get("quick");
        var before = Hashes(quick);
        var after = Hashes(quick with { Variants = [quick.Variants[0] with { Overrides = new() { ["optimizer"] = new System.Text.Json.Nodes.JsonObject { ["lr"] = 0.123 } } }, .. quick.Variants.Skip(1)] });
        var changed = before.Keys.Where(k => before[k] != after[k]).ToList();
        Assert.Equal([.. quick.Seeds.Select(s => $"{quick.Variants[0].Name}__seed{s}")], changed);
    }

    /// <summary>Cell name → hash of its resolved configuration (no folder is created: resolving reads nothing).</summary>
    static Dictionary<string, string> Hashes(ExperimentSpec spec) =>
        new Sweep(spec, Path.Combine(Path.GetTempPath(), "trainkit-unused-sweep")).Cells().ToDictionary(c => c.Name, c => ConfigHash.Of(c.Config));
}
