using TrainKit.Sweeps.Pruning;
using TrainKit.Sweeps.Store;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;

namespace TrainKit.Sweeps.Tests.Pruning;

/// <summary>Hyperband brackets over ASHA: which bracket a trial lands in, which rungs it reports at, and that each
/// bracket judges its trials only against its own.</summary>
public class HyperbandTests
{
    // Rungs at 1 and 3 epochs below 9: Hyperband's s_max = 2, three brackets starting at 1, 3 and 9 (no rung).
    static readonly AshaConfig Three = new("validation_accuracy", MinResource: 1, ReductionFactor: 3, MaxResource: 9, Brackets: 3);

    [Fact]
    public void Brackets_are_weighted_as_the_paper_sizes_them_and_every_prefix_of_trials_follows_the_weights()
    {
        // Algorithm 1 of Li et al. (2018) with R = 9, η = 3: n = ⌈3·9/3⌉, ⌈3·3/2⌉, ⌈3·1/1⌉.
        Assert.Equal([(int)Math.Ceiling(3 * 9 / 3.0), (int)Math.Ceiling(3 * 3 / 2.0), (int)Math.Ceiling(3 * 1 / 1.0)], HyperbandBrackets.Weights(Three));
        var weights = HyperbandBrackets.Weights(Three);
        double total = weights.Sum();
        var counts = new int[3];
        for (int p = 0; p < 3 * (int)total; p++)
        {
            counts[Three.BracketOf(p)]++;
            for (int b = 0; b < 3; b++)
                Assert.True(Math.Abs(counts[b] - (p + 1) * weights[b] / total) < 1, $"after {p + 1} trials bracket {b} has {counts[b]}");
        }
        Assert.Equal(weights.Select(w => 3 * w), counts);
        // The same position always gets the same bracket (workers and the pre-flight check compute it apart).
        Assert.Equal(Enumerable.Range(0, 30).Select(Three.BracketOf), Enumerable.Range(0, 30).Select(Three.BracketOf));
        Assert.All(Enumerable.Range(0, 30), p => Assert.Equal(0, (Three with { Brackets = 1 }).BracketOf(p)));
    }

    [Fact]
    public void Bracket_b_reports_from_rung_b_on_and_the_last_bracket_runs_to_the_end()
    {
        Assert.Equal([1.0, 3.0], Three.Rungs());
        Assert.Equal([0, 1], Three.RungsOf(0));
        Assert.Equal([1], Three.RungsOf(1));
        Assert.Empty(Three.RungsOf(2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void A_bracket_count_outside_1_to_rungs_plus_one_names_the_key(int brackets)
    {
        var ex = Assert.Throws<ArgumentException>(() => (Three with { Brackets = brackets }).Validate());
        Assert.Contains("asha.brackets must be between 1 (plain ASHA) and 3", ex.Message);
    }

    [Fact]
    public void A_trial_is_judged_only_against_the_trials_of_its_own_bracket()
    {
        // A hand-made rung table (accuracy, higher is better): bracket 0 has strong trials at rung 1, bracket 1 weak ones.
        RungReport[] table =
        [
            new(1, 0, 1, 0.50, "promoted", Bracket: 0), new(1, 1, 3, 0.90, "promoted", Bracket: 0),
            new(2, 0, 1, 0.45, "promoted", Bracket: 0), new(2, 1, 3, 0.80, "promoted", Bracket: 0),
            new(3, 0, 1, 0.40, "promoted", Bracket: 0), new(3, 1, 3, 0.70, "pruned", Bracket: 0),
            new(4, 1, 3, 0.30, "promoted", Bracket: 1),
            new(5, 1, 3, 0.40, "pruned", Bracket: 1),
        ];
        // 0.5 at rung 1 in bracket 1: top third of {0.3, 0.4, 0.5}, promoted; pooled with bracket 0 it would be cut.
        Assert.True(AshaRule.KeepInBracket(0.5, bracket: 1, rung: 1, table, Three));
        Assert.False(AshaRule.Keep(0.5, [.. table.Where(r => r.Rung == 1).Select(r => r.Metric), 0.5], 3, maximize: true));
        // 0.75 in bracket 0: below the top third of {0.7, 0.75, 0.8, 0.9}, pruned, though it beats all of bracket 1.
        Assert.False(AshaRule.KeepInBracket(0.75, bracket: 0, rung: 1, table, Three));
        Assert.Equal([0.9, 0.8, 0.7, 0.75], AshaRule.SameBracket(0.75, 0, 1, table));
        // Bracket 0's rung 0 only holds bracket 0 trials: 0.42 is below its top third.
        Assert.False(AshaRule.KeepInBracket(0.42, bracket: 0, rung: 0, table, Three));
        // The first trial of a bracket at a rung always continues, whatever other brackets reported there.
        Assert.True(AshaRule.KeepInBracket(0.01, bracket: 2, rung: 1, table, Three));
    }

    [Fact]
    public void The_pre_flight_check_holds_per_bracket()
    {
        // Rungs at steps 2 and 4 (below 8); cells evaluate every 4 steps: too rarely for a first rung at step 2.
        var asha = new AshaConfig("train_eval_loss", "min", MinResource: 2, ReductionFactor: 2, MaxResource: 8, Unit: "steps", Brackets: 3);
        var config = new RunConfig { Steps = 8, EvalEvery = 4 };
        var cells = Enumerable.Range(0, 10).Select(i => new Cell(i, "v", 0, config)).ToList();
        var later = cells.Where(c => asha.BracketOf(c.Index) > 0).ToList();
        Assert.NotEmpty(later);
        // Only bracket 1 and 2 cells: their first rung is step 4 (or none), which an evaluation every 4 steps reaches.
        asha.CheckCells(later, _ => 100);
        // The same cells under plain ASHA, or with a bracket 0 cell among them, are refused, naming the cell.
        Assert.Contains("eval_every", Assert.Throws<ArgumentException>(() => (asha with { Brackets = 1 }).CheckCells(later, _ => 100)).Message);
        Cell first = cells.First(c => asha.BracketOf(c.Index) == 0);
        var ex = Assert.Throws<ArgumentException>(() => asha.CheckCells([.. later, first], _ => 100));
        Assert.Contains($"cell {first.Name} (bracket 0)", ex.Message);
        // A cell that stops before its bracket's last rung (step 4) is refused as before.
        var shortCells = later.Select(c => c with { Config = config with { Steps = 3 } }).ToList();
        Assert.Contains("past the 3 steps", Assert.Throws<ArgumentException>(() => asha.CheckCells(shortCells, _ => 100)).Message);
    }
}
