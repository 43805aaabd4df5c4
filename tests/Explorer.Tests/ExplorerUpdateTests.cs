using System.Text.Json.Nodes;
using TrainKit.Explorer.Schedules;
using TrainKit.Explorer.Server;
using TrainKit.Schedulers.Config;

namespace TrainKit.Explorer.Tests;

/// <summary>One page update without HTTP: validation messages, simulations driven by the schedule, charts.</summary>
public class ExplorerUpdateTests
{
    static ExploreRequest With(params (string Kind, JsonObject Params)[] schedules) => new()
    {
        Steps = 200,
        Schedules = schedules.Select(s => new ScheduleEntry(s.Kind, new JsonObject { ["kind"] = s.Kind, ["params"] = s.Params })).ToArray(),
    };

    [Fact]
    public void A_valid_update_draws_every_chart()
    {
        var response = ExplorerEngine.Update(With(("CosineAnnealingLR", new JsonObject { ["T_max"] = 200 })));
        Assert.Empty(response.Errors);
        Assert.Equal(["contour", "landscape", "loss", "lr", "noiseConstant", "noiseScheduled", "position"], response.Charts.Keys.Order());
        Assert.All(response.Charts.Values, svg => Assert.Contains("<svg", svg));
        Assert.True(response.Timing.TotalMs > 0);
    }

    [Fact]
    public void An_invalid_parameter_comes_back_with_the_library_message_and_its_field()
    {
        var libraryMessage = Assert.ThrowsAny<ArgumentException>(() =>
            ScheduleFactory.CreateSchedule(ScheduleSpec.Of("CosineAnnealingLR", ("T_max", -5.0)), 0.1)).Message;
        var response = ExplorerEngine.Update(With(
            ("ConstantLR", new JsonObject()),
            ("CosineAnnealingLR", new JsonObject { ["T_max"] = -5 })));
        var error = Assert.Single(response.Errors);
        Assert.Equal(1, error.Schedule);
        Assert.Equal("T_max", error.Param);
        Assert.StartsWith(error.Message, libraryMessage);
        Assert.Equal("T_max must be > 0, got -5", error.Message);
        // The valid schedule still draws.
        Assert.Single(response.Summaries);
        Assert.NotEmpty(response.Charts);
    }

    [Fact]
    public void Crossing_two_over_lambda_max_makes_gradient_descent_diverge()
    {
        // lambda_max = 10: the limit is 0.2. factor 1: a flat lr (PyTorch's ConstantLR default is 1/3 for 5 steps).
        ExploreRequest At(double lr) => With(("ConstantLR", new JsonObject { ["factor"] = 1.0 })) with { BaseLr = lr, LambdaMax = 10 };
        var below = ExplorerEngine.Update(At(0.19));
        var above = ExplorerEngine.Update(At(0.21));
        Assert.Equal(0.2, below.Limits.GradientDescent, 12);
        Assert.False(below.Summaries[0].GdDiverged);
        Assert.True(above.Summaries[0].GdDiverged);
        // Heavy ball with β = 0.9 is still stable there (limit 0.38).
        Assert.False(above.Summaries[0].HeavyBallDiverged);
    }

    [Fact]
    public void Changing_a_parameter_changes_the_lr_chart_and_the_trajectories()
    {
        var a = ExplorerEngine.Update(With(("CosineAnnealingLR", new JsonObject { ["T_max"] = 200 })));
        var b = ExplorerEngine.Update(With(("CosineAnnealingLR", new JsonObject { ["T_max"] = 50 })));
        Assert.NotEqual(a.Charts["lr"], b.Charts["lr"]);
        Assert.NotEqual(a.Charts["contour"], b.Charts["contour"]);
        Assert.NotEqual(a.Summaries[0].GdFinalLoss, b.Summaries[0].GdFinalLoss);
    }

    [Fact]
    public void Every_kind_in_the_library_gets_a_form_whose_starting_values_draw()
    {
        var forms = KindForm.All(200);
        Assert.Equal(ScheduleCatalog.Kinds.Select(k => k.Name), forms.Select(f => f.Name));
        foreach (var form in forms)
        {
            var kind = ScheduleCatalog.Describe(form.Name);
            Assert.Equal(kind.Parameters.Select(p => (p.Name, p.RangeText)), form.Fields.Select(f => (f.Name, f.Range)));
            var parameters = new JsonObject();
            foreach (var field in form.Fields.Where(f => f.Start is not null)) parameters[field.Name] = field.Start!.DeepClone();
            var response = ExplorerEngine.Update(With((form.Name, parameters)));
            Assert.True(response.Errors.Count == 0, $"{form.Name}: {string.Join("; ", response.Errors.Select(e => e.Message))}");
        }
    }

    [Fact]
    public void Invalid_run_settings_name_their_field()
    {
        var response = ExplorerEngine.Update(With(("ConstantLR", new JsonObject())) with { BaseLr = -1, LambdaMin = 0 });
        Assert.Contains(response.Errors, e => e is { Schedule: -1, Param: "base_lr" });
        Assert.Contains(response.Errors, e => e is { Schedule: -1, Param: "lambda_min" });
        Assert.Empty(response.Charts);
    }

    [Fact]
    public void Epochs_are_shown_with_the_declared_steps_per_epoch()
    {
        var spec = new JsonObject
        {
            ["kind"] = "CosineAnnealingLR",
            ["params"] = new JsonObject { ["T_max"] = 4.0 },
            ["unit"] = "epochs",
            ["steps_per_epoch"] = 50,
        };
        var response = ExplorerEngine.Update(new ExploreRequest { Steps = 200, XInEpochs = true, Schedules = [new ScheduleEntry("cosine", spec)] });
        Assert.Empty(response.Errors);
        Assert.Contains("epoch (50 steps each)", response.Charts["lr"]);
        // T_max = 4 epochs = 200 steps: the lr reaches eta_min exactly at the end of the run.
        Assert.Equal(0, response.Summaries[0].FinalLr, 12);
    }

    [Fact]
    public void Co_scheduled_momentum_gets_its_own_axis()
    {
        var spec = new JsonObject { ["kind"] = "OneCycleLR", ["params"] = new JsonObject { ["max_lr"] = 0.3, ["total_steps"] = 200.0 } };
        var response = ExplorerEngine.Update(new ExploreRequest { Steps = 200, Schedules = [new ScheduleEntry("one-cycle", spec)] });
        Assert.Empty(response.Errors);
        Assert.Contains("momentum (dashed)", response.Charts["lr"]);
        Assert.Equal(0.3, response.Summaries[0].PeakLr, 3);
    }
}
