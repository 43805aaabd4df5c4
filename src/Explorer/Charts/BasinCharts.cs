using ScottPlot;
using TrainKit.Explorer.Simulation;

namespace TrainKit.Explorer.Charts;

/// <summary>The sharp/flat landscape: the loss curve with each schedule's path and end point, and x over time.</summary>
public static class BasinCharts
{
    public static string Landscape(TwoBasinLandscape landscape, IReadOnlyList<(string Schedule, BasinRun Run)> runs)
    {
        var plot = ChartStyle.NewPlot("Sharp vs flat basin: where each schedule ends", "x", "loss");
        double[] xs = Enumerable.Range(0, 401).Select(i => -2.5 + 5.5 * i / 400).ToArray();
        var curve = plot.Add.ScatterLine(xs, xs.Select(landscape.Loss).ToArray(), Colors.Gray);
        curve.LineWidth = 2;
        for (int i = 0; i < runs.Count; i++)
        {
            var (label, run) = runs[i];
            var color = ChartStyle.ScheduleColor(i);
            // The path as a faint zigzag over the curve (a line is far cheaper to render than a marker per step).
            var path = plot.Add.ScatterLine(run.X, run.Loss, color.WithAlpha(0.35));
            path.LineWidth = 1;
            var end = plot.Add.Marker(run.FinalX, landscape.Loss(run.FinalX), MarkerShape.FilledCircle, 12, color);
            end.LegendText = $"{label}: ends in {run.Ends.ToString().ToLowerInvariant()} basin";
        }
        plot.Add.Text("sharp", landscape.SharpCenter, landscape.Loss(landscape.SharpCenter) - 0.08).LabelAlignment = Alignment.UpperCenter;
        plot.Add.Text("flat", landscape.FlatCenter, landscape.Loss(landscape.FlatCenter) - 0.08).LabelAlignment = Alignment.UpperCenter;
        plot.Axes.SetLimits(-2.5, 3, -1.3, 0.6);
        plot.ShowLegend(Alignment.UpperLeft);
        return ChartStyle.Svg(plot);
    }

    public static string Position(TwoBasinLandscape landscape, IReadOnlyList<(string Schedule, BasinRun Run)> runs)
    {
        var plot = ChartStyle.NewPlot("Position over time (escapes show as jumps)", "step", "x");
        plot.Add.HorizontalLine(landscape.SharpCenter, 1, Colors.Gray, LinePattern.Dotted).LegendText = "sharp basin";
        plot.Add.HorizontalLine(landscape.FlatCenter, 1, Colors.DarkGray, LinePattern.Dashed).LegendText = "flat basin";
        for (int i = 0; i < runs.Count; i++)
        {
            var (label, run) = runs[i];
            double[] steps = Enumerable.Range(0, run.X.Length).Select(k => (double)k).ToArray();
            var line = plot.Add.ScatterLine(steps, run.X, ChartStyle.ScheduleColor(i));
            line.LineWidth = 1.5f;
            line.LegendText = label;
        }
        plot.Axes.AutoScaleX();
        plot.Axes.SetLimitsY(-2.5, 3);
        plot.ShowLegend(Alignment.UpperRight);
        return ChartStyle.Svg(plot);
    }
}
