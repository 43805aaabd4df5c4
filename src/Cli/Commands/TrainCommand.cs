using System.CommandLine;
using Spectre.Console;
using TrainKit.Training.Checkpoints;
using TrainKit.Training.Config;
using TrainKit.Training.Loop;
using TrainKit.Training.Tasks;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit train`: one training run from a config file and flags, or resumed from its folder.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var run = new RunOptions();
        var printConfig = new Option<bool>("--print-config") { Description = "Print the resolved configuration (defaults, file, flags, --set) as JSON and exit." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its newest checkpoint." };
        var checkpointEvery = new Option<long?>("--checkpoint-every") { Description = "Steps between checkpoints." };
        var from = new Option<string?>("--from")
        {
            Description = "Fork the run in this folder (with --at STEP and --out NEW_DIR): start from its checkpoint of STEP, so the fork's steps " +
                "up to STEP are the parent's, then continue under the parent's configuration with --config's top-level keys (a partial file: " +
                "typically a new schedule and steps) and the flags in place of its own. Only the schedule and the keys --resume may change can change.",
        };
        var at = new Option<long?>("--at") { Description = "With --from: the parent's checkpointed step the fork starts from." };
        var command = new Command("train",
            "Train a model with a schedule; writes metrics, TensorBoard events, checkpoints and the final weights. " +
            "--resume continues a run; --from RUN_DIR --at STEP [--config tail.json] --out NEW_DIR forks one with a new schedule tail.");
        run.AddTo(command);
        command.Options.Add(checkpointEvery);
        command.Options.Add(resume);
        command.Options.Add(from);
        command.Options.Add(at);
        command.Options.Add(printConfig);
        command.SetAction(parse =>
        {
            RunConfig config;
            bool resuming = parse.GetValue(resume) is string;
            if (parse.GetValue(at) is not null && parse.GetValue(from) is null) throw new ArgumentException("--at needs --from RUN_DIR, the run to fork");
            if (parse.GetValue(from) is string parent)
            {
                if (resuming) throw new ArgumentException("--from starts a new fork and --resume continues a run; give one (a fork continues with --resume NEW_DIR)");
                if (parse.GetValue(at) is not long step) throw new ArgumentException("--from needs --at STEP, the parent's checkpointed step to fork at");
                config = ResolveFork(parse, run, parent, step);
            }
            else if (parse.GetValue(resume) is string folder)
            {
                if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException("--resume is empty; give the run folder to continue");
                if (parse.GetValue(run.Out) is string other && Path.GetFullPath(other) != Path.GetFullPath(folder))
                    throw new ArgumentException($"--resume {folder} continues that folder; --out {other} names another one (leave --out out)");
                if (parse.GetValue(run.Config) is not null || parse.GetValue(run.Data) is not null || parse.GetValue(run.Seed) is not null || parse.GetValue(run.Epochs) is not null
                    || parse.GetValue(run.Set) is { Length: > 0 })
                    throw new ArgumentException("--resume continues a run with its own config.json; --config, --data, --seed, --epochs and --set cannot change it (only --steps and --checkpoint-every)");
                string saved = Path.Combine(folder, "config.json");
                if (!File.Exists(saved)) throw new FileNotFoundException($"--resume {folder}: no config.json there, so it is not a run folder", saved);
                config = RunConfigJson.Load(saved) with { Out = folder };
                if (parse.GetValue(run.Steps) is long steps) config = config with { Steps = steps };
            }
            else config = run.Resolve(parse);
            if (parse.GetValue(checkpointEvery) is long every) config = config with { CheckpointEvery = every };
            if (parse.GetValue(printConfig))
            {
                // The resolved configuration (file, flags, --set), checked like the one a run would use.
                parse.InvocationConfiguration.Output.WriteLine(RunConfigJson.Serialize(RunConfigValidator.Validate(config)));
                return ExitCodes.Success;
            }
            if (!resuming)
            {
                OutputFolder.Check("--out", config.Out);
                if (new CheckpointStore(config.Out!).Latest() is not null)
                    throw new ArgumentException($"{config.Out} already holds a run; continue it with --resume {config.Out} or choose another --out");
            }
            RunConfigValidator.Validate(config);
            return Train(config, resuming, CommandConsole.For(parse));
        });
        return command;
    }

    /// <summary>A fork's configuration (the parent's, with the tail file, flags and --set on top, and its origin),
    /// checked against the parent's checkpoint before any task is built: a missing step, a refused key or a non-empty
    /// --out exits 2 at once. The trainer checks it again when it starts from that checkpoint.</summary>
    static RunConfig ResolveFork(ParseResult parse, RunOptions run, string parent, long step)
    {
        using var fork = ForkStart.Open(parent, step);
        RunConfig parentConfig = RunConfigJson.Load(Path.Combine(parent, "config.json")) with { Out = null, ForkedFrom = null };
        RunConfig config = run.ResolveOnto(parse, parentConfig) with { ForkedFrom = fork.Origin };
        if (config.Out is null) throw new ArgumentException("--from needs --out NEW_DIR, the new (or empty) folder of the fork");
        fork.CheckTarget(config.Out, fresh: true);
        fork.CheckConfig(config, config.Steps);
        return config;
    }

    /// <summary>Builds the task; a dataset that has to be downloaded first gets a progress bar.</summary>
    internal static ITrainingTask CreateTask(RunConfig config, IAnsiConsole console)
    {
        ITrainingTask task = null!;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .Start(ctx =>
            {
                var bars = new Dictionary<string, ProgressTask>();
                task = TrainingTasks.Create(config, p =>
                {
                    if (!bars.TryGetValue(p.FileName, out var bar))
                        bars[p.FileName] = bar = ctx.AddTask($"download {p.FileName}", maxValue: p.TotalBytes ?? double.MaxValue);
                    bar.Value = p.BytesReceived;
                });
            });
        return task;
    }

    static int Train(RunConfig config, bool resume, IAnsiConsole console)
    {
        using ITrainingTask task = CreateTask(config, console);
        var trainer = Trainer.ForRun(config, task, config.Out!);
        TrainingSummary summary = null!;
        trainer.OnWarning = message => console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
        if (ProgressLines.Wanted(console))
        {
            var lines = new ProgressLines(console);
            trainer.OnProgress = lines.Report;
            summary = trainer.Run(resume);
        }
        else console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask("training", maxValue: trainer.TotalSteps);
                trainer.OnProgress = p =>
                {
                    bar.Value = p.Step;
                    bar.Description = $"step {p.Step}/{p.TotalSteps}  loss {p.Loss:F4}  lr {p.Lr:G3}";
                };
                summary = trainer.Run(resume);
            });
        string accuracy = summary.Test.Accuracy is double a ? $"test accuracy {a:P2}, "
            : summary.Test.Perplexity is double p ? $"validation perplexity {p:F2}, " : "";
        string ema = summary.EmaTest is { } averaged
            ? $"; ema: {(averaged.Accuracy is double ea ? $"test accuracy {ea:P2}, " : "")}test loss {averaged.Loss:F4} ({Trainer.EmaModelFile})" : "";
        console.WriteLine($"done: {summary.Steps} steps in {summary.Seconds:F0} s; {accuracy}test loss {summary.Test.Loss:F4}, train loss {summary.Train.Loss:F4}{ema}; run folder {summary.RunDirectory}");
        return ExitCodes.Success;
    }
}
