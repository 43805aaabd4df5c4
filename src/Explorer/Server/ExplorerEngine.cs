using System.Diagnostics;
using ScottPlot;
using TrainKit.Explorer.Charts;
using TrainKit.Explorer.Export;
using TrainKit.Explorer.Schedules;
using TrainKit.Explorer.Simulation;
using TrainKit.Schedulers.Config;

namespace TrainKit.Explorer.Server;

/// <summary>
/// One page update, independent of HTTP: sample every valid schedule with the real scheduler, run the
/// three optimization problems with it, render the charts. Invalid input becomes <see cref="FieldError"/>s
/// carrying the library's own messages; the valid schedules still draw.
/// </summary>
public static class ExplorerEngine
{
    /// <summary>Where the quadratic runs start: far along the stiff direction and the flat one.</summary>
    public const double StartX = 1.0, StartY = 1.0;

    public static ExploreResponse Update(ExploreRequest request, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var errors = new List<FieldError>();
        var settings = Validate(request, errors);
        if (settings is null)
            return new ExploreResponse(new Dictionary<string, string>(), errors, [], new StabilityLimits(0, 0, 0, 0, 0), new Timing(0, 0, 0));
        var (quadratic, noisy) = settings.Value;
        var landscape = TwoBasinLandscape.Default;

        var sampled = new List<(int Index, SampledSchedule Schedule)>();
        for (int i = 0; i < request.Schedules.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = request.Schedules[i];
            try
            {
                var spec = ScheduleSpec.FromJson(entry.Spec.ToJsonString());
                sampled.Add((i, SampledSchedule.Sample(spec, entry.Label, request.Steps, request.BaseLr, request.WeightDecay, request.Momentum)));
            }
            catch (ArgumentException ex) { errors.Add(new FieldError(i, ex.ParamName, FirstLine(ex.Message))); }
            catch (System.Text.Json.JsonException ex) { errors.Add(new FieldError(i, null, FirstLine(ex.Message))); }
        }

        var runs = sampled.Select(s => { cancellationToken.ThrowIfCancellationRequested(); return Simulate(s.Schedule, quadratic, noisy, landscape, request.Momentum); }).ToArray();
        var constant = noisy.MeanLoss(StepSchedule.Constant(request.BaseLr, request.Steps), StartX, StartY);
        double simulateMs = clock.Elapsed.TotalMilliseconds;

        var limits = new StabilityLimits(quadratic.GradientDescentLimit, quadratic.HeavyBallLimit(request.Momentum),
            2 / landscape.SharpCurvature, 2 / landscape.FlatCurvature, double.IsFinite(noisy.NoiseFloor(request.BaseLr)) ? noisy.NoiseFloor(request.BaseLr) : null);
        var charts = sampled.Count == 0 ? new Dictionary<string, string>()
            : Render(request, sampled.Select(s => s.Schedule).ToArray(), runs, constant, quadratic, noisy, landscape, limits, cancellationToken);
        double totalMs = clock.Elapsed.TotalMilliseconds;

        var summaries = sampled.Select((s, k) => Summarize(s.Index, s.Schedule, runs[k], request.BaseLr)).ToArray();
        return new ExploreResponse(charts, errors, summaries, limits, new Timing(simulateMs, totalMs - simulateMs, totalMs));
    }

    sealed record Runs(Trajectory[] Quadratic, BasinRun Basin, double[] NoisyLoss);

    static Runs Simulate(SampledSchedule schedule, Quadratic q, NoisyQuadratic noisy, TwoBasinLandscape landscape, double momentum)
    {
        var steps = schedule.ForSimulation();
        return new Runs(
            [
                QuadraticOptimizers.GradientDescent(q, steps, StartX, StartY),
                QuadraticOptimizers.HeavyBall(q, steps, StartX, StartY, momentum),
                QuadraticOptimizers.Adam(q, steps, StartX, StartY, momentum),
            ],
            landscape.Descend(steps),
            noisy.MeanLoss(steps, StartX, StartY));
    }

    static Dictionary<string, string> Render(ExploreRequest request, SampledSchedule[] schedules, Runs[] runs, double[] constantNoisy,
        Quadratic q, NoisyQuadratic noisy, TwoBasinLandscape landscape, StabilityLimits limits, CancellationToken cancellationToken)
    {
        var stability = new List<LrChart.StabilityLine>
        {
            new("GD limit 2/λ_max", limits.GradientDescent, Colors.Red),
            new("heavy-ball limit 2(1+β)/λ_max", limits.HeavyBall, Colors.OrangeRed),
            new("sharp-basin limit 2/λ_sharp", limits.SharpBasin, Colors.Purple),
        };
        var labelled = schedules.Select((s, i) => (s.Label, runs[i])).ToArray();
        // Each chart is independent, so render them in parallel: this is most of an update's time.
        var jobs = new Func<(string Name, string Svg)[]>[]
        {
            () => [("lr", LrChart.Render(schedules, request.XInEpochs, stability))],
            () => [("contour", QuadraticCharts.Contour(q, schedules[0].Label, runs[0].Quadratic, StartX, StartY))],
            () => [("loss", QuadraticCharts.Loss(labelled.Select(r => (r.Label, (IReadOnlyList<Trajectory>)r.Item2.Quadratic)).ToArray()))],
            () => [("landscape", BasinCharts.Landscape(landscape, labelled.Select(r => (r.Label, r.Item2.Basin)).ToArray()))],
            () => [("position", BasinCharts.Position(landscape, labelled.Select(r => (r.Label, r.Item2.Basin)).ToArray()))],
            () =>
            {
                var (left, right) = NoiseCharts.Render(new NoiseCharts.Curve("constant lr", constantNoisy, -1),
                    labelled.Select((r, i) => new NoiseCharts.Curve(r.Label, r.Item2.NoisyLoss, i)).ToArray(), limits.NoiseFloor ?? double.PositiveInfinity, request.BaseLr);
                return [("noiseConstant", left), ("noiseScheduled", right)];
            },
        };
        var rendered = new (string Name, string Svg)[jobs.Length][];
        Parallel.For(0, jobs.Length, new ParallelOptions { CancellationToken = cancellationToken }, i => rendered[i] = jobs[i]());
        var charts = rendered.SelectMany(r => r).ToDictionary(r => r.Name, r => r.Svg);
        return charts;
    }

    static ScheduleSummary Summarize(int index, SampledSchedule s, Runs r, double baseLr) => new(
        index, s.Label, s.Trajectory.Lr.Max(), s.Trajectory.Lr[^1], s.EndsEarly,
        r.Quadratic[0].FinalLoss, r.Quadratic[0].Diverged, r.Quadratic[1].FinalLoss, r.Quadratic[1].Diverged, r.Quadratic[2].FinalLoss, r.Quadratic[2].Diverged,
        r.Basin.Ends.ToString().ToLowerInvariant(), r.Basin.FinalX, r.NoisyLoss[^1],
        CSharpExport.From(s.Spec, baseLr).Text, ConfigExport.From(s.Spec));

    /// <summary>The run and problem settings; errors name the page's field.</summary>
    static (Quadratic, NoisyQuadratic)? Validate(ExploreRequest r, List<FieldError> errors)
    {
        void Need(bool ok, string field, string message) { if (!ok) errors.Add(new FieldError(-1, field, $"{field} {message}")); }
        Need(r.Steps is >= 1 and <= 5000, "steps", $"must be in [1, 5000], got {r.Steps}");
        Need(double.IsFinite(r.BaseLr) && r.BaseLr > 0, "base_lr", $"must be > 0, got {r.BaseLr}");
        Need(double.IsFinite(r.WeightDecay) && r.WeightDecay >= 0, "weight_decay", $"must be >= 0, got {r.WeightDecay}");
        Need(r.Momentum is >= 0 and < 1, "momentum", $"must be in [0, 1), got {r.Momentum}");
        Need(double.IsFinite(r.Noise) && r.Noise >= 0, "noise", $"must be >= 0, got {r.Noise}");
        Need(r.Schedules.Count is >= 1 and <= 8, "schedules", $"must number 1 to 8, got {r.Schedules.Count}");
        Quadratic? q = null;
        try { q = Quadratic.Checked(r.LambdaMax, r.LambdaMin); }
        catch (ArgumentException ex) { errors.Add(new FieldError(-1, ex.ParamName, FirstLine(ex.Message))); }
        return errors.Count > 0 || q is null ? null : (q, new NoisyQuadratic(q, r.Noise));
    }

    /// <summary>ArgumentException appends " (Parameter 'x')"; the page shows the field already.</summary>
    static string FirstLine(string message)
    {
        int at = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return (at >= 0 ? message[..at] : message).Split('\n')[0];
    }
}
