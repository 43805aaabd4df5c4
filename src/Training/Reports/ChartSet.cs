using ScottPlot;
using TrainKit.IO;

namespace TrainKit.Training.Reports;

/// <summary>The report's charts, drawn with ScottPlot and kept as SVG (inlined into report.html) and
/// PNG/SVG files next to it.</summary>
public sealed class ChartSet(string folder)
{
    public const int Width = 860, Height = 400;
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
            double[] ys = logY ? Log(y) : y;
            var line = plot.Add.ScatterLine(x, ys);
            line.LegendText = label;
            line.LineWidth = 2;
            if (references is not null && references.TryGetValue(label, out var reference))
            {
                var level = plot.Add.HorizontalLine(logY ? Math.Log10(reference.Y) : reference.Y, width: 1.5f, color: line.Color, pattern: LinePattern.Dashed);
                level.LegendText = reference.Label;
            }
        }
        WholeNumberTicks(plot, drawn.SelectMany(d => d.X));
        if (logY) LogTicks(plot);
        Finish(plot, name, title, xLabel, yLabel, drawn.Count > 1);
    }

    /// <summary>One colour per group: a thin line per seed, the mean over seeds as a thick line, and a min–max band
    /// between the seeds, so a bimodal outcome (some seeds trained, some stuck) shows as two bundles of lines
    /// instead of a mean curve no run followed.</summary>
    public void SeedLines(string name, string title, string xLabel, string yLabel, IEnumerable<(string Label, IReadOnlyList<(double[] X, double[] Y)> Seeds)> groups, bool logY = false)
    {
        var drawn = groups.Select(g => (g.Label, Seeds: g.Seeds.Where(s => s.X.Length > 0).ToList())).Where(g => g.Seeds.Count > 0).ToList();
        if (drawn.Count == 0) return;
        var plot = new Plot();
        for (int i = 0; i < drawn.Count; i++)
        {
            var color = Palette.Default.GetColor(i);
            var seeds = drawn[i].Seeds;
            // The band and the mean use the x values every seed logged.
            double[] common = [.. seeds.Select(s => s.X.ToHashSet()).Aggregate((a, b) => { a.IntersectWith(b); return a; }).Order()];
            double[][] at = [.. common.Select(x => seeds.Select(s => s.Y[Array.IndexOf(s.X, x)]).ToArray())];
            if (seeds.Count > 1 && common.Length > 1)
            {
                var band = plot.Add.FillY(common, Transform(at.Select(v => v.Min()).ToArray(), logY), Transform(at.Select(v => v.Max()).ToArray(), logY));
                band.FillStyle.Color = color.WithAlpha(0.15);
                band.LineStyle.Width = 0;
            }
            foreach (var (x, y) in seeds)
            {
                var thin = plot.Add.ScatterLine(x, Transform(y, logY));
                thin.Color = color.WithAlpha(0.55);
                thin.LineWidth = 1;
            }
            if (common.Length > 0)
            {
                var mean = plot.Add.ScatterLine(common, Transform(at.Select(v => v.Average()).ToArray(), logY));
                mean.Color = color;
                mean.LineWidth = 2.5f;
                mean.LegendText = seeds.Count > 1 ? $"{drawn[i].Label} (mean, {seeds.Count} seeds)" : drawn[i].Label;
            }
        }
        WholeNumberTicks(plot, drawn.SelectMany(g => g.Seeds.SelectMany(s => s.X)));
        if (logY) LogTicks(plot);
        Finish(plot, name, title, xLabel, yLabel, legend: true);
    }

    /// <summary>A final metric per seed as dots, one column per label, with the mean (bar) and its 95 % t interval
    /// (whisker): every seed is visible, and two columns whose whiskers overlap are not shown as different.</summary>
    public void SeedDots(string name, string title, string yLabel, IReadOnlyList<(string Label, double[] Values)> columns)
    {
        var drawn = columns.Where(c => c.Values.Length > 0).ToList();
        if (drawn.Count == 0) return;
        var plot = new Plot();
        for (int i = 0; i < drawn.Count; i++)
        {
            var color = Palette.Default.GetColor(i);
            double[] v = drawn[i].Values;
            double[] xs = [.. v.Select((_, k) => i + (v.Length == 1 ? 0 : -0.15 + 0.3 * k / (v.Length - 1)))];
            var dots = plot.Add.Markers(xs, v, MarkerShape.FilledCircle, 7, color);
            double mean = v.Average();
            var meanLine = plot.Add.Line(i - 0.25, mean, i + 0.25, mean);
            meanLine.Color = color; meanLine.LineWidth = 2.5f;
            if (v.Length > 1)
            {
                var ci = Statistics.PairedDifference.OfDifferences(v).Ci; // the t interval of a mean (differences from 0)
                if (ci.Width > 0)
                {
                    var whisker = plot.Add.Line(i + 0.3, ci.Low, i + 0.3, ci.High);
                    whisker.Color = color; whisker.LineWidth = 1.5f;
                }
            }
            _ = dots;
        }
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, drawn.Count).Select(i => (double)i)], [.. drawn.Select(c => c.Label)]);
        plot.Axes.SetLimitsX(-0.6, drawn.Count - 0.4);
        Finish(plot, name, title, "", yLabel, legend: false);
    }

    /// <summary>Lines through the mean of each point with its 95 % t interval as a whisker (e.g. a final metric
    /// against the training budget, one line per schedule); a single-point group is a marker with its whisker.</summary>
    public void MeanLines(string name, string title, string xLabel, string yLabel, IReadOnlyList<(string Label, IReadOnlyList<(double X, double[] Values)> Points)> groups, bool logX = false)
    {
        var drawn = groups.Select(g => (g.Label, Points: g.Points.Where(p => p.Values.Length > 0).ToList())).Where(g => g.Points.Count > 0).ToList();
        if (drawn.Count == 0) return;
        var plot = new Plot();
        double X(double x) => logX ? Math.Log10(x) : x;
        for (int i = 0; i < drawn.Count; i++)
        {
            var color = Palette.Default.GetColor(i);
            double[] xs = [.. drawn[i].Points.Select(p => X(p.X))], means = [.. drawn[i].Points.Select(p => p.Values.Average())];
            var line = plot.Add.ScatterLine(xs, means, color);
            line.LegendText = drawn[i].Label;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.MarkerShape = MarkerShape.FilledCircle;
            foreach (var (x, values) in drawn[i].Points.Where(p => p.Values.Length > 1))
            {
                var ci = Statistics.PairedDifference.OfDifferences(values).Ci; // the t interval of a mean (differences from 0)
                if (ci.Width <= 0) continue;
                var whisker = plot.Add.Line(X(x), ci.Low, X(x), ci.High);
                whisker.Color = color; whisker.LineWidth = 1.5f;
            }
        }
        if (logX)
        {
            double[] ticks = [.. drawn.SelectMany(g => g.Points.Select(p => p.X)).Distinct().Order()];
            plot.Axes.Bottom.SetTicks([.. ticks.Select(X)], [.. ticks.Select(t => t.ToString("G4", System.Globalization.CultureInfo.InvariantCulture))]);
        }
        else WholeNumberTicks(plot, drawn.SelectMany(g => g.Points.Select(p => p.X)));
        Finish(plot, name, title, xLabel, yLabel, drawn.Count > 1);
    }

    /// <summary>One marker per run, coloured by group (e.g. a sharpness measure against the generalization gap).</summary>
    public void Scatter(string name, string title, string xLabel, string yLabel, IReadOnlyList<(string Label, double[] X, double[] Y)> groups)
    {
        var drawn = groups.Where(g => g.X.Length > 0).ToList();
        if (drawn.Count == 0) return;
        var plot = new Plot();
        for (int i = 0; i < drawn.Count; i++)
        {
            var markers = plot.Add.Markers(drawn[i].X, drawn[i].Y, MarkerShape.FilledCircle, 8, Palette.Default.GetColor(i));
            markers.LegendText = drawn[i].Label;
        }
        Finish(plot, name, title, xLabel, yLabel, legend: drawn.Count > 1);
    }

    static double[] Log(double[] y) => [.. y.Select(v => v > 0 ? Math.Log10(v) : double.NaN)];
    static double[] Transform(double[] y, bool logY) => logY ? Log(y) : y;

    /// <summary>Whole-number ticks only for a few consecutive small integers (e.g. "snapshots averaged" 1..4):
    /// step numbers are whole numbers too, and a tick per step smears the labels.</summary>
    static void WholeNumberTicks(Plot plot, IEnumerable<double> x)
    {
        var xs = x.Distinct().ToList();
        if (xs.Count > 0 && xs.Count <= 20 && xs.All(v => v == Math.Round(v)) && xs.Max() - xs.Min() <= 20)
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
    }

    /// <summary>A log10 axis labelled in the data's own units (0.5, 1, 2 rather than log10 values), minor ticks log-spaced.</summary>
    static void LogTicks(Plot plot) => plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = false,
        LabelFormatter = y => Math.Pow(10, y).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
    };

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

    void Finish(Plot plot, string name, string title, string xLabel, string yLabel, bool legend)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        // The legend always goes beside the plot, never over the curves (a corner legend hid the final values).
        if (legend) plot.ShowLegend(Edge.Right);
        Directory.CreateDirectory(folder);
        plot.SavePng(Path.Combine(folder, name + ".png"), Width, Height);
        string svg = plot.GetSvgXml(Width, Height);
        AtomicFile.WriteAllText(Path.Combine(folder, name + ".svg"), svg);
        // Inline SVG in HTML must not carry the XML declaration (browsers turn it into a bogus comment).
        _charts.Add((name, title, svg[svg.IndexOf("<svg", StringComparison.Ordinal)..]));
    }
}
