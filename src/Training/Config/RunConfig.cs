using System.Text.Json.Serialization;
using TrainKit.Models.Transformer;
using TrainKit.Schedulers.Config;
using TrainKit.Training.Data.Text;

namespace TrainKit.Training.Config;

/// <summary>Everything one training run needs, in one typed record. JSON (snake_case) and CLI flags both
/// land here; <see cref="RunConfigValidator"/> rejects bad values naming the key.</summary>
public sealed record RunConfig
{
    /// <summary>resnet-fashion-mnist, resnet-cifar10, transformer-text, or full-batch-mse (full-batch GD with
    /// the squared loss on an image subset, for edge-of-stability experiments).</summary>
    [JsonConverter(typeof(ChoiceConverter<TrainingTaskKind>))]
    public TrainingTaskKind Task { get; init; } = TrainingTaskKind.ResNetFashionMnist;
    /// <summary>The model, one record per kind (<see cref="ModelConfig"/>); resnet20 at width 1 unless given.</summary>
    public ModelConfig Model { get; init; } = new CifarResNetModelConfig();
    public DataConfig Data { get; init; } = new();
    public OptimizerConfig Optimizer { get; init; } = new();
    /// <summary>The schedule block (kind, params, unit, weight-decay/momentum coupling) of the scheduler library.
    /// Run-length parameters (total_steps, T_max) left out are filled from the run.</summary>
    public ScheduleSpec Schedule { get; init; } = ScheduleSpec.Of("WarmupCosine", ("warmup_steps", 50));
    /// <summary>Examples per micro-batch: one forward/backward pass. An optimizer step sees <see cref="Accumulate"/> of them.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Gradient accumulation: each optimizer step averages the gradients of this many micro-batches
    /// (each loss divided by it), so the effective batch is batch_size × accumulate. Steps, schedules and epochs
    /// count optimizer steps.</summary>
    public int Accumulate { get; init; } = 1;
    /// <summary>Image classification: the training loss spreads this share of each target's probability evenly over
    /// all classes (Szegedy et al. 2016; PyTorch's cross_entropy label_smoothing). Evaluation losses stay plain.</summary>
    public double LabelSmoothing { get; init; } = 0;
    /// <summary>Total optimizer steps; when null, <see cref="Epochs"/> decides.</summary>
    public long? Steps { get; init; }
    public double Epochs { get; init; } = 1;

    /// <summary>Optimizer steps per pass over the training data: the task's batches per epoch divided by the
    /// micro-batches each step accumulates (fractional when they do not divide evenly).</summary>
    public double OptimizerStepsPerEpoch(long batchesPerEpoch) => (double)batchesPerEpoch / Accumulate;

    /// <summary>The same as a whole number of at least one, for schedules declared in epochs.</summary>
    public long WholeStepsPerEpoch(long batchesPerEpoch) => Math.Max(1, (long)Math.Round(OptimizerStepsPerEpoch(batchesPerEpoch)));

    /// <summary>The run's length in optimizer steps: <see cref="Steps"/>, else <see cref="Epochs"/> passes over the data (at least 1).</summary>
    public long TotalSteps(long batchesPerEpoch) => Steps ?? Math.Max(1, (long)Math.Round(Epochs * OptimizerStepsPerEpoch(batchesPerEpoch)));
    /// <summary>Clip the global gradient norm to this value (null: no clipping).</summary>
    public double? GradClip { get; init; }
    public long Seed { get; init; } = 0;
    /// <summary>auto (CUDA when available), cpu or cuda.</summary>
    [JsonConverter(typeof(ChoiceConverter<DeviceChoice>))]
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    /// <summary>libtorch's intra-op threads for the run (torch.set_num_threads; use this rather than OMP_NUM_THREADS);
    /// null: libtorch's default, one per core. Restored when the run ends. Written only when set.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Threads { get; init; }
    /// <summary>torch.use_deterministic_algorithms(true) for the run (and CUBLAS_WORKSPACE_CONFIG=:4096:8 when unset),
    /// so ops without a deterministic implementation throw instead of varying; restored when the run ends. TorchSharp
    /// 0.107 has no cuDNN deterministic/benchmark switches, so cuDNN keeps libtorch's defaults (benchmark off).
    /// Written only when true.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Determinism { get; init; }
    public long LogEvery { get; init; } = 10;
    public long EvalEvery { get; init; } = 200;
    public long CheckpointEvery { get; init; } = 200;
    /// <summary>Complete checkpoints kept on disk, the newest ones (0: every one; null: <see cref="DefaultKeepCheckpoints"/>).
    /// A run that will be forked (<c>train --from RUN_DIR --at STEP</c>, e.g. WSD cooldowns at several budgets) keeps them
    /// all. Written only when set, so the configuration (and config hash) of a run that leaves it out is unchanged.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? KeepCheckpoints { get; init; }
    public const int DefaultKeepCheckpoints = 2;
    /// <summary>How many checkpoints the run keeps (0: every one).</summary>
    [JsonIgnore]
    public int CheckpointsKept => KeepCheckpoints ?? DefaultKeepCheckpoints;
    /// <summary>Epochs at which a copy of the model weights is kept in RUN_DIR/snapshots, e.g. SGDR's cycle ends for a
    /// snapshot ensemble (Huang et al. 2017); empty: none.</summary>
    public IReadOnlyList<double> SnapshotEpochs { get; init; } = [];
    /// <summary>Every this many steps, log λ_max (warm-started Lanczos on a fixed training subset) and the cosine
    /// of successive minibatch gradients (0: off; the probe costs a few Hessian-vector products).</summary>
    public long ProbeEvery { get; init; } = 0;
    /// <summary>Examples in the probe's fixed subset.</summary>
    public int ProbeExamples { get; init; } = 256;
    public DivergenceConfig Divergence { get; init; } = new();
    /// <summary>Stop when a train or validation metric stops improving (null: off). Test metrics are refused.</summary>
    public EarlyStoppingConfig? EarlyStopping { get; init; }
    /// <summary>An exponential moving average of the weights, evaluated next to them as the <c>ema_*</c> splits (null: off).
    /// Written only when set, so the configuration (and config hash) of a run that leaves it out is unchanged.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EmaConfig? Ema { get; init; }
    public string? Out { get; init; }
    /// <summary>Provenance of a fork (<c>train --from RUN_DIR --at STEP</c>): the parent run it starts from. Written by
    /// the fork itself; absent in every other run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ForkOrigin? ForkedFrom { get; init; }
}

/// <summary>Where a fork starts: the parent run folder, the step of the parent's checkpoint it continues, and the
/// SHA-256 of the parent's training-relevant configuration (<see cref="ConfigFingerprint"/>) at that checkpoint.</summary>
public sealed record ForkOrigin
{
    public string Run { get; init; } = "";
    public long Step { get; init; }
    public string ParentConfigSha256 { get; init; } = "";
}

public sealed record DataConfig
{
    /// <summary>A dataset folder or text corpus; null uses the default resolution order.</summary>
    public string? Path { get; init; }
    /// <summary>For images: embedded (bundled subset), fashion-mnist, mnist, cifar10, cifar100. The text task reads
    /// data.path (or the bundled fortunes) and ignores it.</summary>
    [JsonConverter(typeof(ChoiceConverter<ImageSource>))]
    public ImageSource Source { get; init; } = ImageSource.Embedded;
    public bool Augment { get; init; } = true;
    /// <summary>Image tasks: the probability of random erasing per training image (Zhong et al. 2020; torchvision's
    /// RandomErasing: a rectangle of 2–33 % of the image, aspect 0.3–3.3, set to the mean pixel); 0 or absent: off.
    /// Written only when set, so the configuration (and config hash) of a run that leaves it out is unchanged.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RandomErasing { get; init; }
    /// <summary>Image tasks: the fraction of the training images held out (seeded) and evaluated as the
    /// <c>validation</c> split next to train and test (0: none).</summary>
    public double ValidationFraction { get; init; } = 0;
    /// <summary>Image tasks: train on the first this many training images (0: all).</summary>
    public int Subset { get; init; } = 0;
    /// <summary>Examples used by each evaluation (0: the whole split).</summary>
    public int EvalExamples { get; init; } = 2000;
    /// <summary>Text: char or cl100k / o200k (tiktoken with vocabulary compaction).</summary>
    [JsonConverter(typeof(ChoiceConverter<TokenizerKind>))]
    public TokenizerKind Tokenizer { get; init; } = TokenizerKind.Character;
}

public sealed record OptimizerConfig
{
    /// <summary>sgd, adam or adamw.</summary>
    [JsonConverter(typeof(ChoiceConverter<OptimizerKind>))]
    public OptimizerKind Name { get; init; } = OptimizerKind.Sgd;
    public double Lr { get; init; } = 0.1;
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; } = true;
    public double WeightDecay { get; init; } = 5e-4;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Eps { get; init; } = 1e-8;
    /// <summary>Biases and normalization parameters get no weight decay unless this is true.</summary>
    public bool DecayNormAndBias { get; init; } = false;
}

public sealed record DivergenceConfig
{
    /// <summary>A loss above this many times the best smoothed loss counts as divergence (0: only NaN/Inf).</summary>
    public double ExplodeFactor { get; init; } = 20;
    /// <summary>stop, or rollback (reload the last checkpoint and scale the lr by <see cref="LrFactor"/>).</summary>
    [JsonConverter(typeof(ChoiceConverter<DivergenceAction>))]
    public DivergenceAction OnDivergence { get; init; } = DivergenceAction.Stop;
    public double LrFactor { get; init; } = 0.5;
    public int MaxRollbacks { get; init; } = 3;
}

public sealed record EarlyStoppingConfig
{
    /// <summary>A metrics column of the evaluation rows, e.g. validation_eval_loss or validation_accuracy.</summary>
    public string Metric { get; init; } = "validation_eval_loss";
    /// <summary>Evaluations without improvement before the run stops.</summary>
    public int Patience { get; init; } = 3;
    /// <summary>An improvement must exceed this much.</summary>
    public double MinDelta { get; init; } = 0;
    /// <summary>min (a loss) or max (an accuracy).</summary>
    [JsonConverter(typeof(ChoiceConverter<ImprovementDirection>))]
    public ImprovementDirection Mode { get; init; } = ImprovementDirection.Min;
}

public sealed record EmaConfig
{
    /// <summary>The weight of the old average at each optimizer step: ema = decay·ema + (1 − decay)·w. In [0, 1).</summary>
    public double Decay { get; init; } = 0.999;
    /// <summary>Ramp the decay up from 0 (timm ModelEmaV3's warmup, gamma 1, power 2/3) so that early averages do not
    /// keep the random initialization for ~1/(1 − decay) steps.</summary>
    public bool Warmup { get; init; } = false;
}
