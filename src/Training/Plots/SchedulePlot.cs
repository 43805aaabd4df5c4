using ScottPlot;
using TrainKit.Schedulers.Config;

namespace TrainKit.Training.Plots;

/// <summary>
/// Draws schedules overlaid: learning rate on the left axis; co-scheduled momentum and weight decay, when
/// any trajectory has them, on their own right-hand axes (dashed and dotted). PNG or SVG by extension.
/// </summary>
public static class SchedulePlot
{
    public static Plot Build(IReadOnlyList<ScheduleTrajectory> trajectories, string title = "Learning-rate schedules")
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("learning rate");
        IYAxis? momentumAxis = null, wdAxis = null;
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < trajectories.Count; i++)
        {
            var t = trajectories[i];
            var color = palette.GetColor(i);
            var lr = plot.Add.ScatterLine(t.Steps, t.Lr, color);
            lr.LegendText = $"{t.Label} lr";
            lr.LineWidth = 2;
            if (t.Momentum is { } m)
            {
                momentumAxis ??= NewRightAxis(plot, "momentum / beta1");
                var line = plot.Add.ScatterLine(t.Steps, m, color);
                line.LegendText = $"{t.Label} momentum";
                line.LinePattern = LinePattern.Dashed;
                line.Axes.YAxis = momentumAxis;
            }
            if (t.WeightDecay is { } wd)
            {
                wdAxis ??= NewRightAxis(plot, "weight decay");
                var line = plot.Add.ScatterLine(t.Steps, wd, color);
                line.LegendText = $"{t.Label} weight decay";
                line.LinePattern = LinePattern.Dotted;
                line.Axes.YAxis = wdAxis;
            }
        }
        plot.ShowLegend();
        return plot;
    }

    static IYAxis NewRightAxis(Plot plot, string label)
    {
        var axis = plot.Axes.AddRightAxis();
        axis.LabelText = label;
        return axis;
    }

    /// <summary>Saves as PNG or SVG, chosen by the file extension.</summary>
    public static void Save(Plot plot, string path, int width = 1000, int height = 600)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".png") plot.SavePng(path, width, height);
        else if (ext == ".svg") plot.SaveSvg(path, width, height);
        else throw new ArgumentException($"--out must end in .png or .svg, got '{path}'", nameof(path));
    }
}
