using ScottPlot;

namespace TrainKit.Explorer.Charts;

/// <summary>Shared look and helpers for the explorer's charts: size, colours per schedule, line patterns per optimizer, log axes.</summary>
public static class ChartStyle
{
    public const int Width = 620, Height = 340;

    static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>Schedule i always has the same colour on every chart.</summary>
    public static Color ScheduleColor(int index) => Palette.GetColor(index);

    /// <summary>
    /// Optimizers are told apart by sparse markers on solid lines, not by dashes: the SVG backend writes a
    /// dashed line as one path segment per dash, which made the loss chart the slowest of an update.
    /// </summary>
    public static MarkerShape OptimizerMarker(string optimizer) => optimizer switch
    {
        "GD" => MarkerShape.FilledCircle,
        "heavy ball" => MarkerShape.FilledTriangleUp,
        _ => MarkerShape.FilledSquare,
    };

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, size: 14);
        plot.XLabel(xLabel, size: 12);
        plot.YLabel(yLabel, size: 12);
        WithoutMinorTicks(plot.Axes.Bottom);
        WithoutMinorTicks(plot.Axes.Left);
        return plot;
    }

    /// <summary>
    /// Minor ticks are most of an empty chart's SVG elements (each one its own path): dropping them makes
    /// every update's SVG about half the size and noticeably faster to write, with the grid unchanged.
    /// </summary>
    public static void WithoutMinorTicks(IAxis axis) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.EvenlySpacedMinorTickGenerator(0),
        };

    /// <summary>
    /// ScottPlot draws log scales by plotting log10 of the data and labelling ticks as powers of ten.
    /// The decades are placed by hand (at most about eight labels between <paramref name="lo"/> and
    /// <paramref name="hi"/>, in log10 units): the automatic generator's label fitting was the slowest part
    /// of an update, and minor ticks over twenty decades would be hundreds of SVG paths.
    /// </summary>
    public static void UseLogY(Plot plot, double lo, double hi)
    {
        int first = (int)Math.Ceiling(lo), last = (int)Math.Floor(hi);
        int every = Math.Max(1, (int)Math.Ceiling((last - first + 1) / 8.0));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int decade = first; decade <= last; decade++)
            if (decade % every == 0) ticks.AddMajor(decade, $"1e{decade}");
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimitsY(lo, hi);
    }

    /// <summary>The log10 range that holds every finite value, with a margin.</summary>
    public static (double Lo, double Hi) LogRange(IEnumerable<double> log10Values)
    {
        var finite = log10Values.Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        return (finite.Min() - 0.3, finite.Max() + 0.3);
    }

    /// <summary>log10 with a floor so an exact zero loss stays on the chart.</summary>
    public static double[] Log10(IEnumerable<double> values) => values.Select(v => Math.Log10(Math.Max(v, 1e-30))).ToArray();

    public static string Svg(Plot plot) => plot.GetSvgXml(Width, Height);
}
