using System.Text.Json.Nodes;
using TrainKit.Training.Config;

namespace TrainKit.Training.Loop;

/// <summary>Why and where a run stopped early; written to summary.json.</summary>
public sealed record EarlyStop(long Step, string Metric, double BestValue, long BestStep, string Reason);

/// <summary>
/// Early stopping at evaluation points (Lightning's EarlyStopping semantics): a value improves when it beats the
/// best by more than min_delta in the chosen direction; after <c>patience</c> evaluations without improvement the
/// run stops. Its state is part of each checkpoint, so a resumed run stops where an uninterrupted one would.
/// </summary>
sealed class EarlyStopping(EarlyStoppingConfig config)
{
    double _best = double.NaN;
    long _bestStep;
    int _stale;

    public EarlyStop? Stopped { get; private set; }

    /// <summary>Takes the metric from an evaluation row; returns true when the run should stop after this step.</summary>
    public bool Observe(long step, IReadOnlyDictionary<string, double?> row)
    {
        if (row.GetValueOrDefault(config.Metric) is not double value)
            throw new ArgumentException(
                $"early_stopping.metric '{config.Metric}' is not evaluated by this run; it evaluates " +
                string.Join(", ", row.Keys.Where(k => k.StartsWith("train_", StringComparison.Ordinal) || k.StartsWith("validation_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)));
        if (double.IsNaN(_best) || Improves(value)) { _best = value; _bestStep = step; _stale = 0; return false; }
        if (++_stale < config.Patience) return false;
        Stopped = new EarlyStop(step, config.Metric, _best, _bestStep, FormattableString.Invariant(
            $"{config.Metric} did not improve by more than {config.MinDelta} ({config.Mode.Spelling()}) for {config.Patience} evaluations; best {_best:G6} at step {_bestStep}"));
        return true;
    }

    bool Improves(double value) => config.Mode == ImprovementDirection.Max ? value > _best + config.MinDelta : value < _best - config.MinDelta;

    public JsonNode State() => new JsonObject
    {
        ["best"] = double.IsNaN(_best) ? null : _best,
        ["best_step"] = _bestStep,
        ["stale"] = _stale,
        ["stopped_reason"] = Stopped?.Reason,
        ["stopped_step"] = Stopped?.Step,
    };

    public void LoadState(JsonNode? state)
    {
        if (state is null) return;
        _best = state["best"]?.GetValue<double>() ?? double.NaN;
        _bestStep = state["best_step"]!.GetValue<long>();
        _stale = state["stale"]!.GetValue<int>();
        Stopped = state["stopped_reason"]?.GetValue<string>() is string reason
            ? new EarlyStop(state["stopped_step"]!.GetValue<long>(), config.Metric, _best, _bestStep, reason) : null;
    }
}
