using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;
using TrainKit.Training.Loop;
using TrainKit.Training.Reports;
using TrainKit.Training.Tests.Loop;
using TrainKit.Training.Tests.Support;

namespace TrainKit.Training.Tests.Reports;

public class ReportBuilderTests
{
    static ExperimentSpec Spec() => new()
    {
        Name = "tiny",
        Description = "two schedules, two seeds, a synthetic task",
        Base = new RunConfig { Steps = 30, LogEvery = 5, EvalEvery = 10, CheckpointEvery = 0 },
        Variants = [new VariantSpec("fast", Overrides: new JsonObject { ["optimizer"] = new JsonObject { ["lr"] = 0.05 } }),
                    new VariantSpec("slow", Overrides: new JsonObject { ["optimizer"] = new JsonObject { ["lr"] = 0.005 } })],
        Seeds = [1, 2],
        Analyze = false,
    };

    static void RunCell(Cell cell, string folder)
    {
        using var task = new SyntheticTask(cell.Seed);
        new Trainer(cell.Config, task, (o, t) => new LinearDecay(o, t), folder).Run(resume: true);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void A_sweep_produces_a_self_contained_report_that_chromium_renders_without_errors()
    {
        string outDir = Directory.CreateTempSubdirectory("trainkit-sweep-").FullName;
        var sweep = new Sweep(Spec(), outDir);
        Assert.Equal(new SweepOutcome(4, 0), sweep.Run(Shard.All, RunCell));
        Assert.Equal(new SweepOutcome(0, 4), sweep.Run(Shard.All, RunCell)); // finished cells are skipped

        var result = ReportBuilder.Build(outDir, command: "trainkit compare --preset tiny");
        Assert.Equal(["fast", "slow"], result.Summaries.Select(s => s.Variant));
        Assert.All(result.Summaries, s => Assert.Equal(2, s.Seeds));
        Assert.True(result.Summaries[0].Measures["train_loss"]!.Value.Mean < result.Summaries[1].Measures["train_loss"]!.Value.Mean,
            "the larger lr trains this task faster");
        string[] csv = File.ReadAllLines(Path.Combine(result.Folder, "summary.csv"));
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("variant,seeds,diverged,train_loss_mean,train_loss_std", csv[0]);
        Assert.Contains("weight_norm_mean", csv[0]);
        Assert.All(result.Summaries, s => Assert.InRange(s.Measures["weight_norm"]!.Value.Mean, 0.1, 100));
        Assert.Contains("| fast | 2 | 0 |", File.ReadAllText(Path.Combine(result.Folder, "summary.md")));

        string html = File.ReadAllText(result.Html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", ""));
        Assert.DoesNotContain("https://", html);
        int charts = Regex.Matches(html, "<figure class=\"chart\"").Count;
        Assert.True(charts >= 4, $"expected lr, train loss, test loss and test accuracy charts, got {charts}");
        foreach (string name in new[] { "lr", "train_loss", "test_loss", "test_accuracy", "weight_norm", "effective_lr" })
        {
            Assert.True(File.Exists(Path.Combine(result.Folder, "charts", name + ".png")), name);
            Assert.True(File.Exists(Path.Combine(result.Folder, "charts", name + ".svg")), name);
        }

        var page = HeadlessChromium.Load(result.Html);
        Assert.Equal(charts, Regex.Matches(page.Dom, "<figure class=\"chart\"[^>]*><svg").Count);
        Assert.DoesNotMatch("(?i)console.*error|Uncaught|Failed to load", page.Log);
        Assert.True(new FileInfo(page.ScreenshotPath).Length > 20_000, "the screenshot should show the rendered charts");
    }

    [Fact]
    public void Shards_split_the_cells_without_overlap()
    {
        var cells = new Sweep(Spec(), "/unused").Cells();
        var owned = Enumerable.Range(0, 3).Select(i => cells.Where(Shard.Parse($"{i}/3").Owns).Select(c => c.Name).ToList()).ToList();
        Assert.Equal(cells.Select(c => c.Name).Order(), owned.SelectMany(x => x).Order());
        Assert.Throws<ArgumentException>(() => Shard.Parse("3/3"));
        Assert.Throws<ArgumentException>(() => Shard.Parse("a/b"));
    }
}
