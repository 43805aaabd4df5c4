
using System.Text.Json.Nodes;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;
using TrainKit.Training.Reports;

namespace TrainKit.Training.Tests.Experiments;

/// <summary>The super-convergence, wsd and linear-decay presets on a reduced setting: every variant trains through
/// the sweep, the report assembles, and the verdict rule runs on what came out (one seed: inconclusive by rule).</summary>
[Trait("Category", "Slow")]
public class ClaimPresetEndToEndTests
{
    static ReportBuilder.Result RunReduced(ExperimentSpec reduced)
    {
        string outDir = Directory.CreateTempSubdirectory($"trainkit-{reduced.Name}-").FullName;
        new Sweep(reduced, outDir).Run(Shard.All, (cell, folder) => CellRunner.Run(reduced, cell, folder));
        return ReportBuilder.Build(outDir, Verdicts.For(reduced.Name));
    }

    /// <summary>A preset on a 256-image quarter-width ResNet: its 2-, 4- and 8-epoch variants train 4, 8 and 16 steps
    /// of batch 128 on the real Fashion-MNIST source, evaluated on 200 images, logging every step.</summary>
    static ExperimentSpec TinyImages(string name)
    {
        ExperimentSpec full = Presets.Get(name);
        return full with
        {
            Seeds = [0],
            Base = full.Base with
            {
                Model = (CifarResNetModelConfig)full.Base.Model with { Width = 0.25 },
                Data = full.Base.Data with { Subset = 256, EvalExamples = 200 },
                CheckpointEvery = 0,
                LogEvery = 1,
            },
        };
    }

    /// <summary>A copy of a variant's schedule whose warmup (PyTorch-style <c>warmup_steps</c> or HF's
    /// <c>num_warmup_steps</c>), if it has one, lasts <paramref name="warmup"/> instead.</summary>
    static JsonObject ShortenWarmup(JsonObject? schedule, double warmup)
    {
        var copy = schedule!.DeepClone().AsObject();
        var parameters = copy["params"]!.AsObject();
        foreach (string key in new[] { "warmup_steps", "num_warmup_steps" }.Where(parameters.ContainsKey))
            if (double.Parse(parameters[key]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) > 0) parameters[key] = warmup;
        return copy;
    }

    static void AssertInconclusiveOnOneSeed(ReportBuilder.Result report, int verdicts)
    {
        // The budget chart and the comparison within each budget, as the papers draw and compare them.
        string html = File.ReadAllText(report.Html);
        Assert.Contains("id=\"chart-final_vs_x\"", html);
        Assert.Contains("<b>Anchors.</b>", html); // what the numbers should be read against
        static string Budget(string variant) => System.Text.RegularExpressions.Regex.Match(variant, @"(?<=-)\d+(ep)?(?=-|$)").Value;
        Assert.NotEmpty(report.Comparison);
        Assert.All(report.Comparison, r => Assert.Equal(Budget(r.Variant), Budget(r.Baseline)));
        Assert.Equal(verdicts, report.Verdicts.Count);
        Assert.All(report.Verdicts, v => Assert.Equal(VerdictOutcome.Inconclusive, v.Outcome));
        Assert.All(report.Verdicts, v => Assert.StartsWith("Only 1 seed(s)", v.Evidence));
    }

    [Fact]
    public void Super_convergence_trains_every_budget_and_tunes_the_cosine_over_its_grid()
    {
        var report = RunReduced(TinyImages("super-convergence"));
        Assert.Equal(8, report.Cells.Count);
        Assert.All(report.Cells, c => Assert.NotNull(c.Summary));
        // 1cycle peaks at the range test's lr; each cosine starts at its grid lr.
        Assert.InRange(report.Cells.First(c => c.Variant == "1cycle-8ep").Series("lr").Values.Max(), 0.14, Presets.SuperConvergenceMaxLr + 1e-9);
        Assert.Equal(0.2, report.Cells.First(c => c.Variant == "cosine-lr0.2-8ep").Series("lr").Values.Max(), 2);
        AssertInconclusiveOnOneSeed(report, 2);
        Assert.Contains("8 epochs: 1cycle − cosine-lr", report.Verdicts[0].Evidence);
    }

    [Fact]
    public void Wsd_trains_every_budget_with_its_cooldown_and_judges_the_ablation()
    {
        var report = RunReduced(TinyImages("wsd"));
        Assert.Equal(8, report.Cells.Count);
        // The 8-epoch WSD run (16 steps) holds the peak lr until its last 20 % and ends near 0.
        var lr = report.Cells.First(c => c.Variant == "wsd-8ep").Series("lr").Values;
        Assert.Equal(0.1, lr.Max(), 6);
        AssertInconclusiveOnOneSeed(report, 2);
        Assert.Contains("10 % cooldown", report.Verdicts[1].Evidence);
    }

    [Fact]
    public void Large_batch_scales_the_lr_with_the_batch_and_compares_with_the_small_batch()
    {
        ExperimentSpec full = Presets.Get("large-batch");
        var reduced = full with
        {
            Seeds = [0],
            Analyze = false,
            Base = full.Base with { Epochs = 2, Data = full.Base.Data with { Subset = 1024, EvalExamples = 200 }, CheckpointEvery = 0, LogEvery = 1 },
            Variants = [.. full.Variants.Select(v => v with { Schedule = ShortenWarmup(v.Schedule, 1) })],
        };
        var report = RunReduced(reduced);
        Assert.Equal(9, report.Cells.Count);
        // Batch 512 at lr 0.4 over 2 epochs of 1,024 images: 4 steps, the lr climbing to 0.4 over the first epoch with warmup.
        var top = report.Cells.First(c => c.Variant == "k16-warmup").Series("lr");
        Assert.Equal([1.0, 2, 3, 4], top.Steps);
        Assert.Equal(0.4, report.Cells.First(c => c.Variant == "k16-no-warmup").Series("lr").Values[0], 6);
        Assert.True(top.Values[0] < 0.4);
        Assert.Contains("id=\"chart-final_vs_x\"", File.ReadAllText(report.Html));
        Assert.All(report.Comparison, r => Assert.Equal("k1", r.Baseline));
        // 4 steps at the largest batch: not testable, by rule.
        Assert.All(report.Verdicts, v => Assert.Equal(VerdictOutcome.NotTestable, v.Outcome));
    }

    [Fact]
    public void Warmup_postln_trains_both_norms_at_both_lrs_and_judges_each_lr()
    {
        ExperimentSpec full = Presets.Get("warmup-postln");
        var reduced = full with
        {
            Seeds = [0],
            Base = full.Base with
            {
                Model = (GptModelConfig)full.Base.Model with { Layers = 1, Embedding = 16, Context = 16 },
                Data = full.Base.Data with { EvalExamples = 256 },
                BatchSize = 4,
                Steps = 12,
                EvalEvery = 0,
                CheckpointEvery = 0,
            },
            // 300 warmup steps do not fit 12: the warmup arm warms up over 6.
            Variants = [.. full.Variants.Select(v => v with { Schedule = ShortenWarmup(v.Schedule, 6) })],
        };
        var report = RunReduced(reduced);
        Assert.Equal(8, report.Cells.Count);
        Assert.All(report.Cells, c => Assert.Equal(12, c.Series("lr").Steps[^1]));
        // Post-LN at each lr, then Pre-LN: inconclusive on one seed.
        Assert.Equal(3, report.Verdicts.Count);
        Assert.All(report.Verdicts, v => Assert.Equal(VerdictOutcome.Inconclusive, v.Outcome));
        Assert.Contains("At peak lr 0.003", report.Verdicts[1].Claim);
    }

    [Fact]
    public void Warmup_sharpness_probes_lambda_max_while_the_lr_warms_up()
    {
        ExperimentSpec full = Presets.Get("warmup-sharpness");
        var reduced = full with
        {
            Seeds = [0],
            Base = full.Base with { Steps = 20, ProbeEvery = 5, ProbeExamples = 64, Data = full.Base.Data with { Subset = 512, EvalExamples = 200 } },
            Variants = [.. full.Variants.Select(v => v with { Schedule = ShortenWarmup(v.Schedule, 10) })],
        };
        var report = RunReduced(reduced);
        Assert.Equal(9, report.Cells.Count);
        var warm = report.Cells.First(c => c.Variant == Presets.WarmupSharpnessVariant(1, Presets.WarmupSharpnessWarmups[^1]));
        Assert.Equal([5.0, 10, 15, 20], warm.Series("lambda_max").Steps);
        Assert.True(warm.Series("lr").Values[0] < Presets.WarmupSharpnessLr(1));
        Assert.Equal(3, report.Verdicts.Count);
        Assert.All(report.Verdicts, v => Assert.Equal(VerdictOutcome.Inconclusive, v.Outcome));
    }

    [Fact]
    public void Linear_decay_trains_each_schedule_at_both_budgets()
    {
        ExperimentSpec full = Presets.Get("linear-decay");
        // The budgets' names stay (the rule reads them); their lengths shrink to 20 and 40 steps of a tiny GPT.
        var reduced = full with
        {
            Seeds = [0],
            Base = full.Base with
            {
                Model = (GptModelConfig)full.Base.Model with { Layers = 1, Embedding = 16, Context = 16 },
                Data = full.Base.Data with { EvalExamples = 256 },
                BatchSize = 4,
                CheckpointEvery = 0,
            },
            Variants = [.. full.Variants.Select(v => v with
            {
                Schedule = ShortenWarmup(v.Schedule, 2),
                Overrides = new JsonObject { ["steps"] = v.Name.EndsWith($"-{Presets.LinearDecaySteps[0]}", StringComparison.Ordinal) ? 20 : 40 },
            })],
        };
        var report = RunReduced(reduced);
        Assert.Equal(6, report.Cells.Count);
        // Linear→0 and cosine→0 end at 0; cosine→10 % ends at a tenth of the peak 3e-3.
        double Last(string variant) => report.Cells.First(c => c.Variant == variant).Series("lr").Values[^1];
        Assert.True(Last(Presets.CosineToTenth(Presets.LinearDecaySteps[^1])) > 2.5e-4);
        Assert.True(Last(Presets.LinearToZero(Presets.LinearDecaySteps[^1])) < 1e-4);
        AssertInconclusiveOnOneSeed(report, 3);
    }
}
