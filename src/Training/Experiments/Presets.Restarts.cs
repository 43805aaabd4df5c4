using System.Text.Json.Nodes;

namespace TrainKit.Training.Experiments;

public static partial class Presets
{
    /// <summary>The epochs at which SGDR (T_0 = 1 epoch, T_mult = 2) ends a cycle in the restarts preset; the last is its budget.</summary>
    public static readonly double[] RestartsCycleEnds = [1, 3, 7];

    /// <summary>The cosine run annealed to zero over <paramref name="epochs"/>: the budget-matched control for SGDR's
    /// model at that cycle end (the full budget's is the plain <c>cosine</c> variant).</summary>
    public static string RestartsCosine(double epochs) => epochs == RestartsCycleEnds[^1] ? "cosine" : Name($"cosine-{epochs}ep");

    /// <summary>Loshchilov &amp; Hutter 2017: SGDR's cycle ends give good models at any time, and it matches cosine at
    /// the end of the budget. SGDR's model at a cycle end has just been annealed, so it is compared with a cosine run
    /// annealed to the same budget, not with the mid-run, high-lr model of the full-budget cosine. SGDR's first cycle
    /// is a 1-epoch cosine from the same seed, so that pair must agree exactly (a determinism check).
    /// Huang et al. 2017: the cycle-end models make a snapshot ensemble; SGDR and the full cosine keep the same
    /// snapshots, so the cosine's ensemble is the control.</summary>
    static ExperimentSpec Restarts()
    {
        double budget = RestartsCycleEnds[^1];
        var variants = new List<VariantSpec>
        {
            new("sgdr", Schedule("CosineAnnealingWarmRestarts", new JsonObject { ["T_0"] = 1, ["T_mult"] = 2 }, "epochs")),
            new(RestartsCosine(budget), Schedule("CosineAnnealingLR", [], "epochs")),
        };
        variants.AddRange(RestartsCycleEnds.SkipLast(1).Select(e => new VariantSpec(RestartsCosine(e), Schedule("CosineAnnealingLR", [], "epochs"),
            new JsonObject { ["epochs"] = e, ["snapshot_epochs"] = new JsonArray() })));
        return new ExperimentSpec
        {
            Name = "restarts",
            Description = $"Half-width ResNet-20 (SGD, Nesterov momentum 0.9, lr 0.1, wd 5e-4, batch 128) on the first 10,000 Fashion-MNIST training " +
                          $"images, tested on all 10,000 test images after every epoch: SGDR (T_0 = 1 epoch, T_mult = 2; cycles end at epochs 1, 3 and 7) " +
                          $"against cosine annealing to 0 over each of those budgets (1, 3 and {budget} epochs); SGDR's and the {budget}-epoch cosine's models " +
                          "at epochs 1, 3 and 7 are kept and averaged as a snapshot ensemble.",
            Claim = "SGDR's model at each cycle end is as good as a model annealed to that budget (anytime performance), and SGDR matches cosine at " +
                    "the end of the budget (Loshchilov & Hutter 2017); its cycle-end models make an ensemble better than its final model (Huang et al. 2017).",
            Base = TenThousandImages with { Epochs = budget, EvalEvery = 78, SnapshotEpochs = RestartsCycleEnds },
            Variants = variants,
            Seeds = [0, 1, 2, 3, 4],
            Analyze = false,
        };
    }
}
