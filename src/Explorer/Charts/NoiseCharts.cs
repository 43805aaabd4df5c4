using ScottPlot;

namespace TrainKit.Explorer.Charts;

/// <summary>
/// Noisy-gradient SGD, side by side: a constant lr (left) stalls at its noise floor; the chosen schedules
/// (right) keep going down when they decay. Both panels share the y range so the floors compare directly.
/// </summary>
public static class NoiseCharts
{
    public sealed record Curve(string Label, double[] MeanLoss, int ColorIndex);

    public static (string Constant, string Scheduled) Render(Curve constant, IReadOnlyList<Curve> scheduled, double noiseFloor, double baseLr)
    {
        var all = scheduled.Append(constant).SelectMany(c => ChartStyle.Log10(c.MeanLoss)).Where(double.IsFinite).ToArray();
        double floorLog = Math.Log10(noiseFloor);
        double lo = Math.Min(all.Min(), double.IsFinite(floorLog) ? floorLog : all.Min()) - 0.3, hi = all.Max() + 0.3;
        string left = Panel($"Constant lr = {baseLr:0.####}: stalls at the noise floor", [constant with { ColorIndex = -1 }], noiseFloor, lo, hi);
        string right = Panel("Your schedules: decaying lr goes below it", scheduled, noiseFloor, lo, hi);
        return (left, right);
    }

    static string Panel(string title, IReadOnlyList<Curve> curves, double noiseFloor, double lo, double hi)
    {
        var plot = ChartStyle.NewPlot(title, "step", "mean loss (16 seeds)");
        foreach (var curve in curves)
        {
            double[] steps = Enumerable.Range(0, curve.MeanLoss.Length).Select(k => (double)k).ToArray();
            var line = plot.Add.ScatterLine(steps, ChartStyle.Log10(curve.MeanLoss), curve.ColorIndex < 0 ? Colors.Black : ChartStyle.ScheduleColor(curve.ColorIndex));
            line.LineWidth = 1.5f;
            line.LegendText = curve.Label;
        }
        if (double.IsFinite(noiseFloor))
            plot.Add.HorizontalLine(Math.Log10(noiseFloor), 1.5f, Colors.Red, LinePattern.Dashed).LegendText = "noise floor of the constant lr";
        plot.Axes.AutoScaleX();
        ChartStyle.UseLogY(plot, lo, hi);
        plot.ShowLegend(Alignment.UpperRight);
        return ChartStyle.Svg(plot);
    }
}
