using System.Text.Json.Nodes;
using TrainKit.Schedulers.Config;

namespace TrainKit.Explorer.Schedules;

/// <summary>
/// A schedule kind as the page's form builder reads it: the library's own metadata (<see cref="ScheduleCatalog.Kinds"/>)
/// turned into JSON-friendly fields, plus a starting value for each required parameter so a fresh form
/// already draws a curve.
/// </summary>
public sealed record KindForm(string Name, string Description, bool CyclesMomentum, bool NeedsMetric, IReadOnlyList<FieldForm> Fields)
{
    public static IReadOnlyList<KindForm> All(int steps) =>
        ScheduleCatalog.Kinds.Select(k => From(k, steps)).ToArray();

    public static KindForm From(KindInfo kind, int steps) => new(kind.Name, kind.Description, kind.CyclesMomentum, kind.NeedsMetric,
        kind.Parameters.Select(p => FieldForm.From(kind, p, steps)).ToArray());
}

/// <summary>One form field: type, unit, range (with open/closed ends), default and the value to start with.</summary>
public sealed record FieldForm(string Name, string Type, string Unit, string Description, JsonNode? Default, string? DefaultNote,
    bool Required, double? Min, double? Max, bool MinExclusive, bool MaxExclusive, string Range, IReadOnlyList<string>? Choices, JsonNode? Start)
{
    public static FieldForm From(KindInfo kind, ParamInfo p, int steps)
    {
        JsonNode? @default = p.Default is null ? null : JsonValue.Create(p.Default);
        return new(p.Name, p.Type.ToString(), p.Unit.ToString(), p.Description, @default, p.DefaultNote, p.Required,
            p.Min, p.Max, p.MinExclusive, p.MaxExclusive, p.RangeText, p.Choices, @default?.DeepClone() ?? StarterValues.For(kind, p, steps));
    }
}
