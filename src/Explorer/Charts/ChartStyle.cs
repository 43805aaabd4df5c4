using ScottPlot;

namespace TrainKit.Explorer.Charts;

/// <summary>Shared look and helpers for the explorer's charts: size, colours per schedule, line patterns per optimizer, log axes.</summary>
public static class ChartStyle
{
    public const int Width = 620, Height = 340;

    static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>Schedule i always has the same colour on every chart.</summary>
    public static Color ScheduleColor(int index) => Palette.GetColor(index);

    public static LinePattern OptimizerPattern(string optimizer) => optimizer switch
    {
        "GD" => LinePattern.Solid,
        "heavy ball" => LinePattern.Dashed,
        _ => LinePattern.Dotted,
    };

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, size: 14);
        plot.XLabel(xLabel, size: 12);
        plot.YLabel(yLabel, size: 12);
        return plot;
    }

    /// <summary>
    /// ScottPlot draws log scales by plotting log10 of the data and labelling ticks as powers of ten;
    /// call this after adding log10 data.
    /// </summary>
    public static void UseLogY(Plot plot)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => $"1e{y:0}",
        };
    }

    /// <summary>log10 with a floor so an exact zero loss stays on the chart.</summary>
    public static double[] Log10(IEnumerable<double> values) => values.Select(v => Math.Log10(Math.Max(v, 1e-30))).ToArray();

    public static string Svg(Plot plot) => plot.GetSvgXml(Width, Height);
}
