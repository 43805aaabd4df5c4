using System.Text.Json.Nodes;
using TrainKit.Training.Experiments;

namespace TrainKit.Training.Tests.Reports;

/// <summary>A sweep folder written by hand (experiment.json, and per finished cell summary.json, analysis.json and
/// done.json) with chosen numbers, for report tests that must not train.</summary>
public sealed class HandMadeSweep
{
    public sealed record Run(string Variant, long Seed, double TestAccuracy, double TrainAccuracy = 1.0, double TrainLoss = 0.01,
        double? LambdaMax = null, double TestLoss = 0.5, bool Diverged = false, long AnalysisExamples = 256);

    public static string Write(string parent, string name, IReadOnlyList<VariantSpec> variants, IReadOnlyList<Run> runs, string budget = "sweep")
    {
        string dir = Path.Combine(parent, name);
        var spec = new ExperimentSpec
        {
            Name = name,
            Variants = [.. variants],
            Seeds = [.. runs.Select(r => r.Seed).Distinct().Order()],
            AnalysisBudget = budget,
        };
        var sweep = new Sweep(spec, dir);
        sweep.WriteLayout();
        var cells = sweep.Cells().ToDictionary(c => (c.Variant, c.Seed));
        foreach (var run in runs)
        {
            string folder = sweep.CellDirectory(cells[(run.Variant, run.Seed)]);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "summary.json"), new JsonObject
            {
                ["test"] = new JsonObject { ["loss"] = run.TestLoss, ["accuracy"] = run.TestAccuracy },
                ["train"] = new JsonObject { ["loss"] = run.TrainLoss, ["accuracy"] = run.TrainAccuracy },
            }.ToJsonString());
            if (run.LambdaMax is double lambda)
                File.WriteAllText(Path.Combine(folder, "analysis.json"), new JsonObject
                {
                    ["subset"] = new JsonObject { ["examples"] = run.AnalysisExamples },
                    ["loss"] = new JsonObject { ["value"] = run.TrainLoss, ["gradient_norm"] = run.TrainLoss * 2 },
                    ["lambda_max"] = new JsonObject { ["lanczos"] = new JsonObject { ["value"] = lambda } },
                }.ToJsonString());
            if (run.Diverged) File.WriteAllText(Path.Combine(folder, CellRunner.DivergedFile), "{}");
            File.WriteAllText(Path.Combine(folder, Sweep.DoneFile), "{}");
        }
        return dir;
    }

    public static VariantSpec Variant(string name, double lr, double weightDecay) =>
        new(name, Overrides: new JsonObject { ["optimizer"] = new JsonObject { ["lr"] = lr, ["weight_decay"] = weightDecay } });
}
