using System.Text.Json;
using TrainKit.IO;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Tasks;
using static TorchSharp.torch;

namespace TrainKit.Training.RunAnalysis;

/// <summary>One kept model of a run, evaluated alone on the test examples.</summary>
public sealed record SnapshotResult(long Step, double Epoch, double TestLoss, double TestAccuracy);

/// <summary>The ensemble of a run's last <see cref="Members"/> snapshots.</summary>
public sealed record EnsembleResult(int Members, double FirstEpoch, double TestLoss, double TestAccuracy);

/// <summary>RUN_DIR/snapshot_ensemble.json: every snapshot alone, and the ensembles of the last 1, 2, … of them.</summary>
public sealed record SnapshotEnsembleReport(int TestExamples, IReadOnlyList<SnapshotResult> Snapshots, IReadOnlyList<EnsembleResult> Ensembles)
{
    /// <summary>The ensemble of all snapshots.</summary>
    public EnsembleResult Ensemble => Ensembles[^1];
}

/// <summary>
/// Snapshot ensembles (Huang et al. 2017): the predictions of the models a run kept at chosen steps (SGDR's cycle
/// ends) are averaged as probabilities, p(y|x) = (1/m) Σ softmax(f_i(x)), which is what the paper evaluates. The
/// loss is the negative log of that average at the true class.
/// </summary>
public static class SnapshotEnsemble
{
    public const string FileName = "snapshot_ensemble.json";

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>Loads each snapshot of <paramref name="runDirectory"/> into the task's model, evaluates it and the
    /// ensembles, and writes the report next to the run. The model is left holding the last snapshot.</summary>
    public static SnapshotEnsembleReport Evaluate(IClassifierTask task, string runDirectory)
    {
        var snapshots = ModelSnapshots.List(runDirectory);
        if (snapshots.Count == 0)
            throw new InvalidOperationException($"{runDirectory} has no model snapshots; set snapshot_epochs in the run's configuration");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logProbabilities = new List<Tensor>();
        var singles = new List<SnapshotResult>();
        Tensor labels = empty(0);
        foreach (var (step, path) in snapshots)
        {
            task.Model.load(path);
            (Tensor logits, labels) = task.Predict("test");
            Tensor logP = logits.log_softmax(1);
            logProbabilities.Add(logP);
            singles.Add(new SnapshotResult(step, (double)step / task.StepsPerEpoch, Loss(logP, labels), Accuracy(logP, labels)));
        }
        var ensembles = new List<EnsembleResult>();
        for (int m = 1; m <= snapshots.Count; m++)
        {
            var members = logProbabilities.Skip(snapshots.Count - m).ToList();
            Tensor logMean = stack(members).logsumexp(0) - Math.Log(m);
            ensembles.Add(new EnsembleResult(m, singles[^m].Epoch, Loss(logMean, labels), Accuracy(logMean, labels)));
        }
        var report = new SnapshotEnsembleReport((int)labels.shape[0], singles, ensembles);
        AtomicFile.WriteAllText(Path.Combine(runDirectory, FileName), JsonSerializer.Serialize(report, Json));
        return report;
    }

    /// <summary>The same for a finished run folder: rebuilds the task from its config.json.</summary>
    public static SnapshotEnsembleReport ForRunFolder(string runDirectory)
    {
        RunConfig config = RunConfigJson.Load(Path.Combine(runDirectory, "config.json"));
        using var task = TrainingTasks.Create(config);
        return task is IClassifierTask classifier
            ? Evaluate(classifier, runDirectory)
            : throw new ArgumentException($"{runDirectory}: a snapshot ensemble averages class probabilities; task {config.Task.Spelling()} is not a classifier");
    }

    static double Loss(Tensor logP, Tensor labels) => nn.functional.nll_loss(logP, labels).item<float>();

    static double Accuracy(Tensor logP, Tensor labels) => logP.argmax(1).eq(labels).to_type(ScalarType.Float64).mean().item<double>();
}
