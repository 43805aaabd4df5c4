using System.Text.Json;
using TrainKit.Analysis;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>The entry point end to end on the trained CNN: every section present with the documented shape,
/// analysis.json round-trips, plots and CSVs land next to it, and the model is left as it was.</summary>
[Collection(TrainedCnnCollection.Name)]
public class SharpnessAnalyzerTests(TrainedCnnFixture fixture, ITestOutputHelper output)
{
    static readonly SharpnessAnalysisOptions Small = new()
    {
        TopK = 3,
        LanczosMaxSteps = 20,
        TraceMaxIter = 8,
        TraceMinProbes = 4,
        DensitySteps = 15,
        EpsilonAscentSteps = 2,
        PacBayesSamples = 2,
        PacBayesBisectionSteps = 5,
        Landscape1DPoints = 5,
        Landscape2DPoints = 3,
        JiangSamples = 2,
        JiangBisectionSteps = 3,
        LambdaMinMaxSteps = 10,
        SubsetBootstrapRuns = 2,
        SubsetBootstrapLanczosSteps = 8,
    };

    [Fact]
    [Trait("Category", "Slow")]   // ~37 s here: every estimator, plus an independent reference Lanczos run
    public void Analyze_writes_a_complete_analysis_json_that_round_trips()
    {
        using var scope = NewDisposeScope();
        var model = fixture.NewModel();
        model.train();
        string folder = Directory.CreateTempSubdirectory("trainkit-analysis-").FullName;
        var before = new ParameterLayout(model.parameters()).Read();

        var figures = new RecordingFigures();
        var report = new SharpnessAnalyzer(Small, figures).Analyze(model, TrainedCnnFixture.CrossEntropy, fixture.Batches, folder);

        Assert.True(model.training, "the model's mode is restored");
        Assert.Equal(0, (new ParameterLayout(model.parameters()).Read() - before).abs().max().item<double>());
        string path = Path.Combine(folder, AnalysisJson.FileName);
        string text = File.ReadAllText(path);
        output.WriteLine(text.Length > 3000 ? text[..3000] : text);

        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        foreach (var estimator in new[] { "lanczos", "power" })
        {
            var e = root.GetProperty("lambda_max").GetProperty(estimator);
            Assert.True(e.GetProperty("value").GetDouble() > 0);
            Assert.True(e.GetProperty("hvps").GetInt64() > 0);
            Assert.True(e.GetProperty("seconds").GetDouble() > 0);
        }
        var hutchinson = root.GetProperty("trace").GetProperty("hutchinson");
        Assert.True(hutchinson.GetProperty("stderr").GetDouble() > 0);
        Assert.InRange(hutchinson.GetProperty("probes").GetInt32(), 4, 8);   // at least TraceMinProbes, at most TraceMaxIter
        Assert.Equal(3, root.GetProperty("top_eigenvalues").GetProperty("lanczos").GetProperty("values").GetArrayLength());
        Assert.Equal(15, root.GetProperty("density").GetProperty("slq").GetProperty("nodes")[0].GetArrayLength());
        Assert.True(root.GetProperty("eps_sharpness").GetProperty("keskar").GetProperty("value").GetDouble() > 0);
        Assert.True(root.GetProperty("rho_sharpness").GetProperty("sam_first_order").GetProperty("value").GetDouble() > 0);
        Assert.True(root.GetProperty("pac_bayes").GetProperty("magnitude_aware_sigma").GetProperty("value").GetDouble() > 0);
        var scaleAware = root.GetProperty("scale_aware");
        Assert.Equal(Invariances.PerFilter, scaleAware.GetProperty("filter_normalized_lambda_max").GetProperty("invariance").GetString());
        Assert.Equal(Invariances.GlobalScale, scaleAware.GetProperty("lambda_max_times_weight_norm_sq").GetProperty("invariance").GetString());
        Assert.Equal(Invariances.None, root.GetProperty("lambda_max").GetProperty("lanczos").GetProperty("invariance").GetString());
        Assert.Equal(20, root.GetProperty("settings").GetProperty("lanczos_max_steps").GetInt32());
        Assert.Equal(TrainedCnnFixture.AnalysisExamples, root.GetProperty("model").GetProperty("analysis_examples").GetInt64());
        Assert.True(root.GetProperty("total").GetProperty("hvps").GetInt64() >= report.LambdaMax!.Lanczos!.Hvps);
        Assert.Equal("landscape_2d.csv", root.GetProperty("landscape").GetProperty("filter_normalized_2d").GetProperty("csv").GetString());
        Assert.Equal(5, root.GetProperty("landscape").GetProperty("filter_normalized_1d").GetProperty("points").GetInt32());

        // Values, not only shapes: recomputed independently on a fresh copy of the model.
        using (var independentScope = NewDisposeScope())
        {
            var independent = new ModelHessian(fixture.NewModel(), TrainedCnnFixture.CrossEntropy, fixture.Batches);
            var reference = LanczosEigenSolver.Run(independent, new LanczosOptions(TopK: 1, MaxSteps: 40, Tolerance: 1e-8, Seed: 77));
            var lanczos = root.GetProperty("lambda_max").GetProperty("lanczos");
            Assert.Equal(reference.LambdaMax, lanczos.GetProperty("value").GetDouble(), 2e-3 * reference.LambdaMax);
            Assert.Equal(AnalysisLabels.LanczosConverged, lanczos.GetProperty("converged_means").GetString());
            Assert.True(lanczos.GetProperty("converged").GetBoolean() == lanczos.GetProperty("residual_bound").GetDouble() < 1e-3 * lanczos.GetProperty("value").GetDouble());
            var (l0, g) = independent.LossAndGradient();
            Assert.Equal(l0, root.GetProperty("loss").GetProperty("value").GetDouble(), 1e-9);
            double rhoValue = independent.LossAt(g * (0.05 / g.norm().item<double>())) - l0;
            var sam = root.GetProperty("rho_sharpness").GetProperty("sam_first_order");
            Assert.Equal(rhoValue, sam.GetProperty("value").GetDouble(), 1e-9);
            Assert.Equal(rhoValue - 0.05 * g.norm().item<double>(), sam.GetProperty("second_order").GetDouble(), 1e-9);
            // λ_min: a Rayleigh quotient of −H from above, so a lower bound on −λ_min; the reported value is ≤ λ_max.
            double lambdaMin = root.GetProperty("lambda_min").GetProperty("lanczos").GetProperty("value").GetDouble();
            Assert.True(lambdaMin < reference.LambdaMax);
            var t = root.GetProperty("trace").GetProperty("hutchinson");
            Assert.True(t.GetProperty("value").GetDouble() > reference.LambdaMax - 4 * t.GetProperty("stderr").GetDouble(), "trace ≥ λ_max for a PSD-dominated spectrum");
        }
        var subset = root.GetProperty("subset");
        Assert.Equal(TrainedCnnFixture.AnalysisExamples, subset.GetProperty("examples").GetInt64());
        Assert.Equal(2, subset.GetProperty("bootstrap").GetProperty("values").GetArrayLength());
        var jiang = root.GetProperty("pac_bayes").GetProperty("jiang");
        Assert.InRange(jiang.GetProperty("sigma").GetDouble(), jiang.GetProperty("sigma_lower").GetDouble(), jiang.GetProperty("sigma_upper").GetDouble());
        Assert.Contains("Jiang et al. 2020", jiang.GetProperty("definition").GetString());
        Assert.Contains("not Jiang", root.GetProperty("pac_bayes").GetProperty("magnitude_aware_sigma").GetProperty("definition").GetString());
        Assert.True(root.GetProperty("adaptive_sharpness").GetProperty("asam").GetProperty("value").GetDouble() > 0);
        Assert.Contains("excluded", root.GetProperty("model").GetProperty("hessian_of").GetString());
        Assert.StartsWith("re-estimated", root.GetProperty("landscape").GetProperty("filter_normalized_1d").GetProperty("batch_norm_statistics").GetString());

        // Round trip: read back, write again, same text.
        var read = AnalysisJson.Read(path);
        Assert.Equal(text, AnalysisJson.Serialize(read));
        Assert.Equal(report.LambdaMax.Lanczos.Value, read.LambdaMax!.Lanczos!.Value);

        // Side files and no leftover temporary file from the atomic write.
        foreach (var file in new[] { "density.png", "landscape_1d.csv", "landscape_1d.png", "landscape_2d.csv", "landscape_2d.png" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        Assert.DoesNotContain(Directory.GetFiles(folder), f => f.EndsWith(".tmp"));
        Assert.Equal(["density.png", "landscape_1d.png", "landscape_2d.png"], figures.Drawn);
        Assert.Equal("density.png", report.Density!.Slq.Plot);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Without_figures_the_numbers_are_written_and_no_figure_is_named()
    {
        using var scope = NewDisposeScope();
        var options = new SharpnessAnalysisOptions
        {
            RunLanczos = false,
            RunTrace = false,
            RunEpsilonSharpness = false,
            RunRhoSharpness = false,
            RunPacBayes = false,
            RunScaleAware = false,
            PowerMaxIter = 3,
            RunLambdaMin = false,
            RunJiangPacBayes = false,
            RunAdaptiveSharpness = false,
            DensitySteps = 5,
            Landscape1DPoints = 3,
        };
        string folder = Directory.CreateTempSubdirectory("trainkit-analysis-").FullName;
        var report = new SharpnessAnalyzer(options).Analyze(fixture.NewModel(), TrainedCnnFixture.CrossEntropy, fixture.Batches.Take(1).ToList(), folder);

        Assert.Null(report.Density!.Slq.Plot);
        Assert.Null(report.Landscape!.FilterNormalized1D!.Plot);
        Assert.Equal("landscape_1d.csv", report.Landscape.FilterNormalized1D.Csv);
        Assert.Equal(["analysis.json", "landscape_1d.csv"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Stands in for a plotting library: writes the figure's title to the file and records its name.</summary>
    sealed class RecordingFigures : IAnalysisFigures
    {
        public List<string> Drawn { get; } = [];

        public void SpectralDensity(SpectralDensityEstimate estimate, string path, double sigmaSquared) => Draw(path, $"density σ²={sigmaSquared}");
        public void Curve(LossCurve curve, string path, string title) => Draw(path, title);
        public void Surface(LossSurface surface, string path, string title) => Draw(path, title);

        void Draw(string path, string text)
        {
            File.WriteAllText(path, text);
            Drawn.Add(Path.GetFileName(path));
        }
    }

    [Fact]
    public void Sections_of_estimators_not_run_are_absent()
    {
        using var scope = NewDisposeScope();
        var options = new SharpnessAnalysisOptions
        {
            RunLanczos = false,
            RunTrace = false,
            RunDensity = false,
            RunEpsilonSharpness = false,
            RunRhoSharpness = false,
            RunPacBayes = false,
            RunScaleAware = false,
            PowerMaxIter = 5,
            RunLambdaMin = false,
            RunJiangPacBayes = false,
            RunAdaptiveSharpness = false,
            RunAverageCaseSharpness = false,
            RunMSharpness = false,
        };
        var report = new SharpnessAnalyzer(options).Analyze(fixture.NewModel(), TrainedCnnFixture.CrossEntropy, fixture.Batches);
        using var json = JsonDocument.Parse(AnalysisJson.Serialize(report));
        Assert.Equal(["model", "settings", "loss", "subset", "lambda_max", "total"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.False(json.RootElement.GetProperty("lambda_max").TryGetProperty("lanczos", out _));
        // With only m-sharpness of the adaptive family on, the section holds it alone (ASAM's entry is absent).
        var adaptive = new SharpnessAnalyzer(options with { RunPowerIteration = false, RunMSharpness = true, MSharpnessM = 16 })
            .Analyze(fixture.NewModel(), TrainedCnnFixture.CrossEntropy, fixture.Batches);
        using var adaptiveJson = JsonDocument.Parse(AnalysisJson.Serialize(adaptive));
        var section = adaptiveJson.RootElement.GetProperty("adaptive_sharpness");
        Assert.Equal(["m_sharpness"], section.EnumerateObject().Select(p => p.Name));
        Assert.Equal(16, section.GetProperty("m_sharpness").GetProperty("m").GetInt64());
        Assert.True(section.GetProperty("m_sharpness").GetProperty("chunks").GetInt32() >= 1);
    }

    [Fact]
    public void Invalid_settings_fail_before_any_work()
    {
        var bad = new SharpnessAnalysisOptions { TopK = 10, LanczosMaxSteps = 5 };
        Assert.Throws<ArgumentException>(() => new SharpnessAnalyzer(bad).Analyze(fixture.NewModel(), TrainedCnnFixture.CrossEntropy, fixture.Batches));
    }
}
