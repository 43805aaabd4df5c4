using ScottPlot;
using TrainKit.Analysis;

namespace TrainKit.Training.RunAnalysis;

/// <summary>PNG/SVG figures of the analysis (ScottPlot). The format follows the file extension (.png or .svg).
/// TrainKit.Analysis draws through <see cref="IAnalysisFigures"/> so that the estimators need no plotting library.</summary>
public sealed class AnalysisPlots : IAnalysisFigures
{
    public static readonly AnalysisPlots Instance = new();

    const int Width = 800, Height = 500, DensityBins = 2000;

    /// <summary>Spectral density on a log scale, as PyHessian's <c>get_esd_plot</c> draws it (density + 1e-7, log y).</summary>
    public void SpectralDensity(SpectralDensityEstimate estimate, string path, double sigmaSquared)
    {
        var (grid, density) = estimate.Broadened(DensityBins, sigmaSquared);
        var plot = new Plot();
        plot.Add.Scatter(grid, density.Select(d => Math.Log10(d + 1e-7)).ToArray()).MarkerSize = 0;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            LabelFormatter = y => $"1e{y:0}",
        };
        plot.Title("Hessian eigenvalue density (SLQ)");
        plot.XLabel("eigenvalue");
        plot.YLabel("density (log)");
        Save(plot, path);
    }

    public void Curve(LossCurve curve, string path, string title)
    {
        var plot = new Plot();
        plot.Add.Scatter(curve.Coordinates, curve.Losses);
        plot.Title($"{title} (BatchNorm statistics: {curve.BatchNorm})");
        plot.XLabel(curve.Kind == "interpolation" ? "α  (0 = solution A, 1 = solution B)" : "α  (step along the direction)");
        plot.YLabel("loss");
        Save(plot, path);
    }

    /// <summary>2-D surface as a heatmap (log10 of the loss, which keeps the basin visible next to steep walls).</summary>
    public void Surface(LossSurface surface, string path, string title)
    {
        int na = surface.Alphas.Length, nb = surface.Betas.Length;
        // ScottPlot's heatmap rows run top to bottom: row 0 is the largest β.
        var cells = new double[nb, na];
        for (int i = 0; i < na; i++)
            for (int j = 0; j < nb; j++)
                cells[nb - 1 - j, i] = Math.Log10(Math.Max(surface.Losses[i, j], 1e-12));
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(cells);
        // The rectangle spans cell edges: widen by half a cell so each cell is centred on its (α, β).
        double halfA = na > 1 ? (surface.Alphas[^1] - surface.Alphas[0]) / (na - 1) / 2 : 0.5;
        double halfB = nb > 1 ? (surface.Betas[^1] - surface.Betas[0]) / (nb - 1) / 2 : 0.5;
        heatmap.Rectangle = new CoordinateRect(surface.Alphas[0] - halfA, surface.Alphas[^1] + halfA,
            surface.Betas[0] - halfB, surface.Betas[^1] + halfB);
        plot.Add.ColorBar(heatmap).Label = "log10 loss";
        plot.Title($"{title} (BatchNorm statistics: {surface.BatchNorm})");
        plot.XLabel("α (direction 1)");
        plot.YLabel("β (direction 2)");
        Save(plot, path);
    }

    static void Save(Plot plot, string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".png": plot.SavePng(path, Width, Height); break;
            case ".svg": plot.SaveSvg(path, Width, Height); break;
            default: throw new ArgumentException($"unsupported plot format '{Path.GetExtension(path)}' (use .png or .svg)");
        }
    }
}
