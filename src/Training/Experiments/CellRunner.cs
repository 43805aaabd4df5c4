using System.Text.Json;
using TrainKit.Analysis;
using TrainKit.IO;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.RunAnalysis;
using TrainKit.Training.Tasks;

namespace TrainKit.Training.Experiments;

/// <summary>Trains one cell in its folder (resuming from its checkpoint if a previous attempt was killed),
/// then analyses the final model (and the ensemble of its snapshots, when it kept any). A diverged run is a result, not a failure: it is recorded in
/// diverged.json and the sweep goes on.</summary>
public static class CellRunner
{
    /// <summary>The marker a diverged cell leaves in its folder (step, loss, message); reports read it.</summary>
    public const string DivergedFile = "diverged.json";

    public static void Run(ExperimentSpec spec, Cell cell, string folder, Action<TrainingProgress>? onProgress = null)
    {
        try
        {
            using var task = TrainingTasks.Create(cell.Config);
            var trainer = Trainer.ForRun(cell.Config, task, folder);
            trainer.OnProgress = onProgress;
            trainer.Run(resume: true);
            if (cell.Config.SnapshotEpochs.Count > 0 && task is IClassifierTask classifier && !File.Exists(Path.Combine(folder, SnapshotEnsemble.FileName)))
                SnapshotEnsemble.Evaluate(classifier, folder);
        }
        catch (DivergenceException ex)
        {
            AtomicFile.WriteAllText(Path.Combine(folder, DivergedFile),
                JsonSerializer.Serialize(new { step = ex.Step, loss = double.IsFinite(ex.Loss) ? ex.Loss : (double?)null, message = ex.Message }, RunConfigJson.Options));
            return;
        }
        if (spec.Analyze && !File.Exists(Path.Combine(folder, AnalysisJson.FileName)))
            RunFolderAnalysis.Analyze(folder, AnalysisPresets.Named(spec.AnalysisBudget) with { Seed = cell.Seed }, spec.AnalysisExamples);
    }
}
