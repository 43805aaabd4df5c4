using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrainKit.Schedulers.Config;

/// <summary>"Copy as C#": the lines that build a given spec and its scheduler, for pasting into a training loop.</summary>
public static class CSharpSnippet
{
    public static string For(ScheduleSpec spec, string optimizerName = "optimizer")
    {
        ScheduleCatalog.Describe(spec.Kind);   // unknown kinds fail here, not in the user's build
        var sb = new StringBuilder();
        sb.AppendLine("// using System.Text.Json.Nodes; using TrainKit.Schedulers.Config;");
        sb.AppendLine("var spec = new ScheduleSpec");
        sb.AppendLine("{");
        sb.AppendLine($"    Kind = {Literal(spec.Kind)},");
        sb.Append("    Params = new JsonObject { ");
        sb.Append(string.Join(", ", spec.Params.Select(p => $"[{Literal(p.Key)}] = {Node(p.Value)}")));
        sb.AppendLine(" },");
        if (spec.Unit != Adapter.TimeUnit.Steps) sb.AppendLine($"    Unit = TrainKit.Schedulers.Adapter.TimeUnit.{spec.Unit},");
        if (spec.StepsPerEpoch is int spe) sb.AppendLine($"    StepsPerEpoch = {spe},");
        if (spec.WeightDecay is { } wd) sb.AppendLine($"    WeightDecay = new WeightDecaySpec {{ Mode = TrainKit.Schedulers.Coupling.WeightDecayMode.{wd.Mode} }},");
        if (spec.Momentum is { } m)
            sb.AppendLine($"    Momentum = new MomentumSpec {{ Mode = TrainKit.Schedulers.Coupling.MomentumMode.{m.Mode}" +
                (m.BaseMomentum is double b ? $", BaseMomentum = {Number(b)}" : "") + (m.MaxMomentum is double x ? $", MaxMomentum = {Number(x)}" : "") + " },");
        sb.AppendLine("};");
        sb.AppendLine($"var scheduler = ScheduleFactory.CreateScheduler(spec, {optimizerName});");
        return sb.ToString();
    }

    static string Node(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray a when a.All(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.Number) => $"new JsonArray({string.Join(", ", a.Select(Node))})",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(v.GetValue<double>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Literal(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        _ => $"JsonNode.Parse({Literal(node.ToJsonString())})",
    };

    static string Number(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    static string Literal(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
