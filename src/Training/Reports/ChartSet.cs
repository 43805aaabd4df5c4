using ScottPlot;

namespace TrainKit.Training.Reports;

/// <summary>The report's charts, drawn with ScottPlot and kept as SVG (inlined into report.html) and
/// PNG/SVG files next to it.</summary>
public sealed class ChartSet(string folder)
{
    public const int Width = 720, Height = 400;
    readonly List<(string Name, string Title, string Svg)> _charts = [];

    public IReadOnlyList<(string Name, string Title, string Svg)> Charts => _charts;

    /// <summary>A line chart of several named series; skipped when no series has points. A series may come with
    /// a horizontal reference level (e.g. the stability threshold 2/η), drawn dashed in the series' colour.</summary>
    public void Lines(string name, string title, string xLabel, string yLabel, IEnumerable<(string Label, double[] X, double[] Y)> series, bool logY = false,
        IReadOnlyDictionary<string, (string Label, double Y)>? references = null)
    {
        var drawn = series.Where(s => s.X.Length > 0).ToList();
        if (drawn.Count == 0) return;
        var plot = new Plot();
        foreach (var (label, x, y) in drawn)
        {
            double[] ys = logY ? y.Select(v => v > 0 ? Math.Log10(v) : double.NaN).ToArray() : y;
            var line = plot.Add.ScatterLine(x, ys);
            line.LegendText = label;
            line.LineWidth = 2;
            if (references is not null && references.TryGetValue(label, out var reference))
            {
                var level = plot.Add.HorizontalLine(logY ? Math.Log10(reference.Y) : reference.Y, width: 1.5f, color: line.Color, pattern: LinePattern.Dashed);
                level.LegendText = reference.Label;
            }
        }
        // A few whole-number x values (e.g. "snapshots averaged") get whole-number ticks.
        var xs = drawn.SelectMany(d => d.X).Distinct().ToList();
        if (xs.Count <= 20 && xs.All(x => x == Math.Round(x)))
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        // Reference levels double the legend: it goes beside the plot, not over the curves.
        Finish(plot, name, title, xLabel, logY ? $"log10 {yLabel}" : yLabel, drawn.Count > 1, outside: references is { Count: > 0 });
    }

    /// <summary>A bar per label (e.g. a sharpness figure per schedule), with ±std error bars.</summary>
    public void Bars(string name, string title, string yLabel, IReadOnlyList<(string Label, MeanStd Value)> bars)
    {
        if (bars.Count == 0) return;
        var plot = new Plot();
        for (int i = 0; i < bars.Count; i++)
        {
            var bar = plot.Add.Bar(position: i, value: bars[i].Value.Mean, error: bars[i].Value.Std);
            bar.Color = Palette.Default.GetColor(i);
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, bars.Count).Select(i => (double)i).ToArray(), bars.Select(b => b.Label).ToArray());
        plot.Axes.Margins(bottom: 0);
        Finish(plot, name, title, "", yLabel, legend: false);
    }

    void Finish(Plot plot, string name, string title, string xLabel, string yLabel, bool legend, bool outside = false)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (legend && outside) plot.ShowLegend(Edge.Right);
        else if (legend) plot.ShowLegend(Alignment.UpperRight);
        Directory.CreateDirectory(folder);
        plot.SavePng(Path.Combine(folder, name + ".png"), Width, Height);
        string svg = plot.GetSvgXml(Width, Height);
        File.WriteAllText(Path.Combine(folder, name + ".svg"), svg);
        // Inline SVG in HTML must not carry the XML declaration (browsers turn it into a bogus comment).
        _charts.Add((name, title, svg[svg.IndexOf("<svg", StringComparison.Ordinal)..]));
    }
}
