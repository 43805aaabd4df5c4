using ScottPlot;
using TrainKit.Explorer.Simulation;

namespace TrainKit.Explorer.Charts;

/// <summary>The quadratic panel: trajectories on the contour plot, and loss curves on a log scale.</summary>
public static class QuadraticCharts
{
    /// <summary>GD, heavy ball and Adam paths of one schedule over level sets of f (ellipses, drawn exactly).</summary>
    public static string Contour(Quadratic q, string scheduleLabel, IReadOnlyList<Trajectory> paths, double x0, double y0)
    {
        var plot = ChartStyle.NewPlot($"Ill-conditioned quadratic: {scheduleLabel}", "x (λ_max direction)", "y (λ_min direction)");
        double f0 = q.Loss(x0, y0);
        foreach (double fraction in new[] { 1.0, 0.5, 0.25, 0.1, 0.03, 0.01 })
        {
            // f = c is the ellipse λ_max·x² + λ_min·y² = 2c.
            double c = fraction * f0;
            var ellipse = plot.Add.Ellipse(0, 0, Math.Sqrt(2 * c / q.LambdaMax), Math.Sqrt(2 * c / q.LambdaMin));
            ellipse.LineColor = Colors.LightGray;
            ellipse.LineWidth = 1;
        }
        var optimizerColors = new Dictionary<string, Color> { ["GD"] = Colors.C0, ["heavy ball"] = Colors.C1, ["Adam"] = Colors.C2 };
        foreach (var path in paths)
        {
            // Lines only: a marker per step would multiply the SVG size and the render time.
            var line = plot.Add.ScatterLine(path.X, path.Y, optimizerColors.GetValueOrDefault(path.Optimizer, Colors.Black));
            line.LineWidth = 1.5f;
            line.LegendText = path.Diverged ? $"{path.Optimizer} (diverged)" : path.Optimizer;
        }
        var start = plot.Add.Marker(x0, y0, MarkerShape.OpenCircle, 9, Colors.Black);
        start.LegendText = "start";
        double r = 1.3 * Math.Max(Math.Abs(x0), Math.Abs(y0));
        plot.Axes.SetLimits(-r, r, -r, r);
        plot.ShowLegend(Alignment.UpperRight);
        return ChartStyle.Svg(plot);
    }

    /// <summary>Loss vs step on a log scale: colour per schedule, line pattern per optimizer.</summary>
    public static string Loss(IReadOnlyList<(string Schedule, IReadOnlyList<Trajectory> Paths)> runs)
    {
        var plot = ChartStyle.NewPlot("Quadratic loss (log scale)", "step", "f(x, y)");
        var all = new List<double>();
        for (int i = 0; i < runs.Count; i++)
            foreach (var path in runs[i].Paths)
            {
                double[] steps = Enumerable.Range(0, path.Loss.Length).Select(k => (double)k).ToArray();
                double[] logLoss = ChartStyle.Log10(path.Loss);
                all.AddRange(logLoss);
                var color = ChartStyle.ScheduleColor(i);
                var line = plot.Add.ScatterLine(steps, logLoss, color);
                line.LineWidth = 1.5f;
                // About a dozen markers per line name the optimizer (see ChartStyle.OptimizerMarker).
                int every = Math.Max(1, steps.Length / 12);
                var marks = plot.Add.ScatterPoints(steps.Where((_, k) => k % every == 0).ToArray(), logLoss.Where((_, k) => k % every == 0).ToArray(), color);
                marks.MarkerShape = ChartStyle.OptimizerMarker(path.Optimizer);
                marks.MarkerSize = 6;
                marks.LegendText = $"{runs[i].Schedule} · {path.Optimizer}{(path.Diverged ? " ✗" : "")}";
            }
        var (lo, hi) = ChartStyle.LogRange(all);
        ChartStyle.UseLogY(plot, lo, hi);
        plot.Axes.AutoScaleX();
        plot.ShowLegend(Alignment.UpperRight);
        return ChartStyle.Svg(plot);
    }
}
