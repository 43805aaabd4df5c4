using TrainKit.Analysis;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Tasks;
using static TorchSharp.torch;

namespace TrainKit.Training.RunAnalysis;

/// <summary>Runs the sharpness analysis on the final model of a run folder the trainer wrote (ResNet or
/// transformer): rebuilds the task from config.json, loads model.bin (or the newest checkpoint's weights),
/// takes a fixed unaugmented training subset (or the whole training set: <c>examples</c> = null), and writes
/// RUN_DIR/analysis.json with its plots and CSVs. For an Adam or AdamW run whose newest checkpoint holds the analysed
/// weights it also reads the optimizer's second moments and adds the preconditioned sharpness λ_max(P⁻¹H).</summary>
public static class RunFolderAnalysis
{
    public static AnalysisReport Analyze(string runDirectory, SharpnessAnalysisOptions options, int? examples = 1000, int batchSize = 250,
        Action<AnalysisProgress>? progress = null)
    {
        if (examples < 1) throw new ArgumentException($"examples must be at least 1 (or all), got {examples}");
        string configPath = Path.Combine(runDirectory, "config.json");
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"{runDirectory} is not a run folder: it has no config.json", configPath);
        RunConfig config = RunConfigJson.Load(configPath);
        using var task = TrainingTasks.Create(config);
        LoadFinalWeights(task.Model, runDirectory);
        using var scope = NewDisposeScope();
        var (inputs, targets) = task.AnalysisSubset(examples ?? int.MaxValue);
        long available = inputs.shape[0];
        var batches = AnalysisBatches.FirstExamples(inputs, targets, examples ?? available, batchSize);
        using var preconditioner = AdamPreconditionerOf(config, task.Model, runDirectory);
        return new SharpnessAnalyzer(options, AnalysisPlots.Instance).Analyze(task.Model, (output, target) => task.Loss(output, target), batches, runDirectory,
            progress, trainingExamples: examples is null ? available : null,
            selection: examples is null ? "all training examples, unaugmented" : "first examples of the training set, unaugmented",
            preconditioner: preconditioner);
    }

    /// <summary>Adam's preconditioner at the analysed weights: from the newest checkpoint's optimizer state, when that
    /// checkpoint's weights are model.bin's byte for byte (else the state belongs to other weights and none is used).</summary>
    static AdamPreconditioner? AdamPreconditionerOf(RunConfig config, nn.Module<Tensor, Tensor> model, string runDirectory)
    {
        if (config.Optimizer.Name is not (OptimizerKind.Adam or OptimizerKind.AdamW)) return null;
        if (new CheckpointStore(runDirectory).Latest() is not { } checkpoint || !checkpoint.Has("optimizer")) return null;
        string final = Path.Combine(runDirectory, "model.bin");
        if (File.Exists(final) && !File.ReadAllBytes(final).AsSpan().SequenceEqual(checkpoint.ReadPart("model"))) return null;
        var optimizer = OptimizerFactory.Create(config.Optimizer, model);
        using (var reader = new BinaryReader(checkpoint.OpenPart("optimizer"))) optimizer.load_state_dict(reader);
        return AdamPreconditioner.FromOptimizer(optimizer, new ParameterLayout(model.parameters()));
    }

    static void LoadFinalWeights(nn.Module model, string runDirectory)
    {
        string final = Path.Combine(runDirectory, "model.bin");
        if (File.Exists(final)) { model.load(final); return; }
        Checkpoint checkpoint = new CheckpointStore(runDirectory).Latest()
            ?? throw new FileNotFoundException($"{runDirectory} has neither model.bin nor a checkpoint to analyse", final);
        using var stream = checkpoint.OpenPart("model");
        model.load(stream);
    }
}
