using System.Text.Json.Nodes;

namespace TrainKit.Sweeps.Tuning;

/// <summary>Where one searched value is drawn from: <c>log_uniform</c> (min &gt; 0; uniform in log space, for learning
/// rates), <c>uniform</c>, <c>int</c> (uniform over min..max inclusive) or <c>choice</c> (one of <c>values</c>).</summary>
public sealed record Distribution(string Type, double? Min = null, double? Max = null, List<JsonNode?>? Values = null)
{
    public Distribution Validate(string key)
    {
        switch (Type)
        {
            case "choice":
                if (Values is not { Count: > 0 }) throw new ArgumentException($"{key}: a choice needs a non-empty values list");
                return this;
            case "log_uniform" or "uniform" or "int":
                if (Min is not double min || Max is not double max) throw new ArgumentException($"{key}: {Type} needs min and max");
                if (!double.IsFinite(min) || !double.IsFinite(max)) throw new ArgumentException($"{key}: min and max must be finite");
                if (min > max) throw new ArgumentException(FormattableString.Invariant($"{key}: min {min} > max {max}"));
                if (Type == "log_uniform" && min <= 0) throw new ArgumentException(FormattableString.Invariant($"{key}: log_uniform needs min > 0, got {min}"));
                if (Type == "int" && (min != Math.Floor(min) || max != Math.Floor(max))) throw new ArgumentException($"{key}: int needs whole min and max");
                return this;
            default:
                throw new ArgumentException($"{key}: unknown distribution type '{Type}' (log_uniform, uniform, int, choice)");
        }
    }

    /// <summary>One draw; consumes exactly one number from <paramref name="random"/>, so a trial's draws do not depend on
    /// what the other keys hold.</summary>
    public JsonNode? Sample(Random random)
    {
        double u = random.NextDouble();
        return Type switch
        {
            "log_uniform" => JsonValue.Create(Math.Exp(Math.Log(Min!.Value) + u * (Math.Log(Max!.Value) - Math.Log(Min.Value)))),
            "uniform" => JsonValue.Create(Min!.Value + u * (Max!.Value - Min.Value)),
            "int" => JsonValue.Create((long)Math.Min(Max!.Value, Math.Floor(Min!.Value + u * (Max.Value - Min.Value + 1)))),
            _ => Values![Math.Min(Values.Count - 1, (int)(u * Values.Count))]?.DeepClone(),
        };
    }
}
