namespace TrainKit.Analysis;

/// <summary>
/// Draws the analysis figures (spectral density, 1-D and 2-D landscapes) into files. The estimators produce numbers
/// and depend on TorchSharp alone; drawing needs a plotting library, so <see cref="SharpnessAnalyzer"/> takes one from
/// its caller (TrainKit.Training's ScottPlot <c>AnalysisPlots</c>) and, without one, writes the numbers (analysis.json,
/// CSVs) and no figure.
/// </summary>
public interface IAnalysisFigures
{
    /// <summary>The density figure's file name in the output folder; the extension picks the format.</summary>
    string DensityFile => "density.png";
    string Landscape1DFile => "landscape_1d.png";
    string Landscape2DFile => "landscape_2d.png";

    void SpectralDensity(SpectralDensityEstimate estimate, string path, double sigmaSquared);
    void Curve(LossCurve curve, string path, string title);
    void Surface(LossSurface surface, string path, string title);
}
