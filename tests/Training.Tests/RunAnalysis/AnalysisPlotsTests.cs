using TrainKit.Analysis;
using TrainKit.Training.RunAnalysis;

namespace TrainKit.Training.Tests.RunAnalysis;

/// <summary>The ScottPlot figures the run-folder analysis draws through <see cref="IAnalysisFigures"/>: the format
/// follows the extension, and an unsupported one is refused by name.</summary>
public class AnalysisPlotsTests
{
    [Fact]
    public void Figures_are_written_in_the_format_of_their_extension()
    {
        IAnalysisFigures figures = AnalysisPlots.Instance;
        string folder = Directory.CreateTempSubdirectory("trainkit-plots-").FullName;
        try
        {
            var curve = new LossCurve("direction", [-1, 0, 1], [2.0, 1.0, 2.5], 0);
            var surface = new LossSurface([-1, 0, 1], [-1, 1], new double[,] { { 3, 2 }, { 1, 1.5 }, { 2, 4 } }, 0);
            var density = new SpectralDensityEstimate([[-0.5, 1.0, 4.0]], [[0.2, 0.5, 0.3]], Steps: 3, Hvps: 3, Seconds: 0);

            figures.Curve(curve, Path.Combine(folder, "curve.svg"), "1D");
            figures.Surface(surface, Path.Combine(folder, "surface.png"), "2D");
            figures.SpectralDensity(density, Path.Combine(folder, figures.DensityFile), 1e-3);

            Assert.Contains("<svg", File.ReadAllText(Path.Combine(folder, "curve.svg")));
            byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G'];
            Assert.Equal(png, File.ReadAllBytes(Path.Combine(folder, "surface.png"))[..4]);
            Assert.Equal(png, File.ReadAllBytes(Path.Combine(folder, "density.png"))[..4]);
            var error = Assert.Throws<ArgumentException>(() => figures.Curve(curve, Path.Combine(folder, "x.bmp"), "bad"));
            Assert.Contains(".bmp", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
