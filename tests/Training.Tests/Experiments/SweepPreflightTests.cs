using System.Text.Json.Nodes;
using TrainKit.Training.Config;
using TrainKit.Training.Experiments;

namespace TrainKit.Training.Tests.Experiments;

public class SweepPreflightTests
{
    /// <summary>A 20-step base run: a warmup of 50 steps cannot fit it, whatever the task's steps per epoch.</summary>
    static ExperimentSpec Spec(string budget = "sweep", params VariantSpec[] variants) => new()
    {
        Name = "preflight",
        Base = new RunConfig { Steps = 20 },
        Seeds = [0, 1],
        AnalysisBudget = budget,
        Variants = variants.Length > 0 ? [.. variants] : [Cosine("short", 5)],
    };

    static VariantSpec Cosine(string name, double warmupSteps) =>
        new(name, new JsonObject { ["kind"] = "WarmupCosine", ["params"] = new JsonObject { ["warmup_steps"] = warmupSteps } });

    static IReadOnlyList<Cell> Cells(ExperimentSpec spec) => new Sweep(spec, "/nonexistent").Cells();

    [Fact]
    public void A_sweep_whose_schedules_fit_its_runs_passes_and_asks_the_task_once()
    {
        var spec = Spec("sweep", Cosine("short", 5), Cosine("shorter", 2));
        int asked = 0;
        SweepPreflight.Check(spec, Cells(spec), _ => { asked++; return 100; });
        Assert.Equal(1, asked); // four cells share one task, data and batch size
    }

    [Fact]
    public void A_warmup_longer_than_the_run_in_the_last_variant_is_refused_naming_the_cell()
    {
        var spec = Spec("sweep", Cosine("short", 5), Cosine("too-long", 50));
        var ex = Assert.Throws<ArgumentException>(() => SweepPreflight.Check(spec, Cells(spec), _ => 100));
        Assert.Contains("experiment 'preflight', cell too-long__seed0: schedule WarmupCosine:", ex.Message);
        Assert.Contains("warmup_steps", ex.Message);
    }

    [Fact]
    public void A_total_steps_shorter_than_the_run_is_refused_before_training()
    {
        var spec = Spec("sweep", new VariantSpec("cut", new JsonObject { ["kind"] = "OneCycleLR", ["params"] = new JsonObject { ["max_lr"] = 0.1, ["total_steps"] = 10 } }));
        var ex = Assert.Throws<ArgumentException>(() => SweepPreflight.Check(spec, Cells(spec), _ => 100));
        Assert.Contains("cell cut__seed0", ex.Message);
        Assert.Contains("total_steps (10) is shorter than the run (20 steps)", ex.Message);
    }

    [Fact]
    public void An_unknown_analysis_budget_is_refused_before_any_cell()
    {
        var spec = Spec("thorough-ish");
        var ex = Assert.Throws<ArgumentException>(() => SweepPreflight.Check(spec, Cells(spec), _ => throw new InvalidOperationException("the task must not be built")));
        Assert.Contains("thorough-ish", ex.Message);
    }

    [Fact]
    public void An_epoch_length_run_is_checked_with_the_tasks_steps_per_epoch()
    {
        // 2 epochs of 8 steps = 16 steps: a 12-step warmup fits, a 20-step one does not.
        var fits = Spec("sweep", Cosine("fits", 12)) with { Base = new RunConfig { Epochs = 2 } };
        SweepPreflight.Check(fits, Cells(fits), _ => 8);
        var tooLong = Spec("sweep", Cosine("long", 20)) with { Base = new RunConfig { Epochs = 2 } };
        Assert.Throws<ArgumentException>(() => SweepPreflight.Check(tooLong, Cells(tooLong), _ => 8));
    }
}
