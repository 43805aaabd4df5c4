using ScottPlot;
using TrainKit.Explorer.Schedules;

namespace TrainKit.Explorer.Charts;

/// <summary>
/// The schedules overlaid (lr on the left axis; co-scheduled momentum and weight decay on right axes),
/// with the stability limits as horizontal lines so a schedule crossing one is visible at a glance.
/// </summary>
public static class LrChart
{
    public sealed record StabilityLine(string Label, double Lr, Color Color);

    public static string Render(IReadOnlyList<SampledSchedule> schedules, bool inEpochs, IReadOnlyList<StabilityLine> limits)
    {
        string xLabel = inEpochs ? $"epoch ({string.Join(", ", schedules.Select(s => s.StepsPerEpoch).Distinct())} steps each)" : "step";
        var plot = ChartStyle.NewPlot("Learning rate", xLabel, "learning rate");
        IYAxis? momentumAxis = null, wdAxis = null;
        double maxLr = 0;
        for (int i = 0; i < schedules.Count; i++)
        {
            var s = schedules[i];
            var color = ChartStyle.ScheduleColor(i);
            double[] x = s.Trajectory.Steps.Select(step => inEpochs ? step / s.StepsPerEpoch : step).ToArray();
            var lr = plot.Add.ScatterLine(x, s.Trajectory.Lr, color);
            lr.LegendText = s.Label;
            lr.LineWidth = 2;
            maxLr = Math.Max(maxLr, s.Trajectory.Lr.Max());
            if (s.Trajectory.Momentum is { } m)
            {
                momentumAxis ??= RightAxis(plot, "momentum (dashed)");
                var line = plot.Add.ScatterLine(x, m, color);
                line.LinePattern = LinePattern.Dashed;
                line.Axes.YAxis = momentumAxis;
            }
            if (s.Trajectory.WeightDecay is { } wd)
            {
                wdAxis ??= RightAxis(plot, "weight decay (dotted)");
                var line = plot.Add.ScatterLine(x, wd, color);
                line.LinePattern = LinePattern.Dotted;
                line.Axes.YAxis = wdAxis;
            }
        }
        foreach (var limit in limits)
        {
            var line = plot.Add.HorizontalLine(limit.Lr, 1.5f, limit.Color, LinePattern.Dashed);
            line.LegendText = $"{limit.Label} = {limit.Lr:0.###}";
        }
        // Keep the limits in view only when they are near the curves; otherwise they would squash them flat.
        double top = Math.Max(maxLr, limits.Where(l => l.Lr < 3 * maxLr).Select(l => l.Lr).DefaultIfEmpty(0).Max()) * 1.1;
        plot.Axes.AutoScaleX();
        plot.Axes.SetLimitsY(0, top > 0 ? top : 1);
        plot.ShowLegend(Alignment.UpperRight);
        return ChartStyle.Svg(plot);
    }

    static IYAxis RightAxis(Plot plot, string label)
    {
        var axis = plot.Axes.AddRightAxis();
        axis.LabelText = label;
        ChartStyle.WithoutMinorTicks(axis);
        return axis;
    }
}
