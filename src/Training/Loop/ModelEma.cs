using TorchSharp;
using TrainKit.Training.Config;
using static TorchSharp.torch;

namespace TrainKit.Training.Loop;

/// <summary>
/// An exponential moving average of a model's weights (timm's ModelEmaV3 semantics): after every optimizer step,
/// <c>ema = decay_t·ema + (1 − decay_t)·w</c> for every floating-point tensor of the model's state, parameters and
/// buffers alike, so BatchNorm's running mean and variance are averaged as timm does by default (its
/// <c>exclude_buffers=False</c>); integer buffers (BatchNorm's <c>num_batches_tracked</c>) are copied. The averages
/// live on the model's device and are updated in place without grad and without reading anything to the host.
/// <para>
/// The average is evaluated by swapping it into the model itself (<see cref="WithAveragedWeights{T}"/>): the task
/// evaluates the model it owns, and copying back restores the training weights bit for bit, in the same tensors, so
/// the optimizer's state (keyed by those tensors), the RNG and the training trajectory are untouched.
/// </para>
/// </summary>
public sealed class ModelEma : IDisposable
{
    /// <summary>timm ModelEmaV3's warmup defaults (@crowsonkb's: 1 and 2/3 suit runs of up to millions of steps).</summary>
    public const double WarmupGamma = 1, WarmupPower = 2.0 / 3.0;

    readonly nn.Module _model;
    readonly EmaConfig _config;
    readonly (Tensor Live, Tensor Average)[] _state;

    /// <summary>Starts the average at the model's current weights.</summary>
    public ModelEma(nn.Module model, EmaConfig config)
    {
        _model = model;
        _config = config;
        using var noGrad = no_grad();
        // state_dict() hands out the model's own tensors, so Live is the parameter or buffer the optimizer updates.
        _state = [.. model.state_dict().Values.Select(live => (live, live.detach().clone().DetachFromDisposeScope()))];
    }

    /// <summary>
    /// The decay of the update after optimizer step <paramref name="update"/> (1-based), as timm ModelEmaV3.get_decay
    /// computes it with update_after_step 0 and min_decay 0:
    /// <code>
    /// step = max(0, step - update_after_step - 1)
    /// if step &lt;= 0: return 0.0
    /// decay = 1 - (1 + step / warmup_gamma) ** -warmup_power   (with use_warmup; else the configured decay)
    /// decay = max(min(decay, self.decay), min_decay)
    /// </code>
    /// so the first update copies the weights, and with warmup the decay climbs as 1 − (1 + t)^(−2/3) (0.37 at t = 1,
    /// 0.9 at t ≈ 31, 0.999 at t ≈ 31 600) until it reaches the configured one.
    /// </summary>
    public static double DecayAt(long update, EmaConfig config)
    {
        long t = Math.Max(0, update - 1);
        if (t == 0) return 0;
        return config.Warmup ? Math.Min(config.Decay, 1 - Math.Pow(1 + t / WarmupGamma, -WarmupPower)) : config.Decay;
    }

    /// <summary>Folds the current weights into the average after optimizer step <paramref name="update"/> (1-based).
    /// Device ops only: the decay is a host number, nothing is read back.</summary>
    public void Update(long update)
    {
        double decay = DecayAt(update, _config);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using Scalar keep = decay.ToScalar(), take = (1 - decay).ToScalar();
        foreach (var (live, average) in _state)
        {
            // A zero decay is a copy: exact, and free of 0·Inf if the old average held an overflow.
            if (decay == 0 || !average.is_floating_point()) average.copy_(live);
            else average.mul_(keep).add_(live, take);
        }
    }

    /// <summary>Starts the average again at the model's current weights (a checkpoint without an average to restore).</summary>
    public void Reset()
    {
        using var noGrad = no_grad();
        foreach (var (live, average) in _state) average.copy_(live);
    }

    /// <summary>Runs <paramref name="action"/> with the averaged weights in the model, then copies the training weights
    /// back into the same tensors (also when it throws). Costs one extra copy of the weights while it runs.</summary>
    public T WithAveragedWeights<T>(Func<T> action)
    {
        // The copies are freed here, not by a dispose scope: one around the action would also free what it returns.
        Tensor[] training;
        using (no_grad())
            training = [.. _state.Select(s => { Tensor kept = s.Live.clone().DetachFromDisposeScope(); s.Live.copy_(s.Average); return kept; })];
        try
        {
            return action();
        }
        finally
        {
            using (no_grad())
                for (int i = 0; i < _state.Length; i++) _state[i].Live.copy_(training[i]);
            foreach (Tensor kept in training) kept.Dispose();
        }
    }

    /// <summary>Writes the average in the model's own format (<c>Module.save</c>), so it loads like <c>model.bin</c>.</summary>
    public void Save(Stream stream) => WithAveragedWeights(() => _model.save(stream));

    /// <summary>Reads an average written by <see cref="Save"/> (the model's format: names and shapes are checked by
    /// <c>Module.load</c>, which throws on a mismatch).</summary>
    public void Load(Stream stream) => WithAveragedWeights(() =>
    {
        _model.load(stream);
        using var noGrad = no_grad();
        foreach (var (live, average) in _state) average.copy_(live);
        return 0;
    });

    public void Dispose()
    {
        foreach (var (_, average) in _state) average.Dispose();
    }
}
