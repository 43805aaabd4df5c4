using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrainKit.Schedulers.Config;

/// <summary>"Copy as C#": the using directives and the statements that build a spec's scheduler on an existing
/// TorchSharp optimizer through <see cref="ScheduleFactory"/>, for pasting into a training loop. Numbers are
/// written as double literals that round-trip exactly; nested schedules as the exact JSON a config would hold.</summary>
public static class CSharpSnippet
{
    public static readonly IReadOnlyList<string> Usings =
    [
        "using System.Text.Json.Nodes;",
        "using TrainKit.Schedulers.Adapter;",
        "using TrainKit.Schedulers.Config;",
        "using TrainKit.Schedulers.Coupling;",
    ];

    /// <summary>The using directives, a blank line, then <see cref="Statements"/>.</summary>
    public static string For(ScheduleSpec spec, string optimizerName = "optimizer") =>
        string.Join("\n", Usings) + "\n\n" + Statements(spec, optimizerName);

    public static string Statements(ScheduleSpec spec, string optimizerName = "optimizer")
    {
        ScheduleCatalog.Describe(spec.Kind); // unknown kinds fail here, not in the user's build
        var code = new StringBuilder();
        code.Append("var spec = new ScheduleSpec\n{\n");
        code.Append(CultureInfo.InvariantCulture, $"    Kind = {Literal(spec.Kind)},\n");
        code.Append("    Params = new JsonObject\n    {\n");
        foreach (var (name, value) in spec.Params)
            code.Append(CultureInfo.InvariantCulture, $"        [{Literal(name)}] = {Value(value)},\n");
        code.Append("    },\n");
        if (spec.Unit != Adapter.TimeUnit.Steps) code.Append(CultureInfo.InvariantCulture, $"    Unit = TimeUnit.{spec.Unit},\n");
        if (spec.StepsPerEpoch is { } spe) code.Append(CultureInfo.InvariantCulture, $"    StepsPerEpoch = {spe},\n");
        if (spec.WeightDecay is { } wd) code.Append(CultureInfo.InvariantCulture, $"    WeightDecay = new WeightDecaySpec {{ Mode = WeightDecayMode.{wd.Mode} }},\n");
        if (spec.Momentum is { } m)
        {
            code.Append(CultureInfo.InvariantCulture, $"    Momentum = new MomentumSpec {{ Mode = MomentumMode.{m.Mode}");
            if (m.BaseMomentum is { } b) code.Append(CultureInfo.InvariantCulture, $", BaseMomentum = {Number(b)}");
            if (m.MaxMomentum is { } x) code.Append(CultureInfo.InvariantCulture, $", MaxMomentum = {Number(x)}");
            code.Append(" },\n");
        }
        code.Append("};\n");
        code.Append(CultureInfo.InvariantCulture, $"var scheduler = ScheduleFactory.CreateScheduler(spec, {optimizerName});\n");
        return code.ToString();
    }

    /// <summary>A JSON value as a C# expression that converts implicitly to JsonNode.</summary>
    static string Value(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(v.GetValue<double>()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Literal(v.GetValue<string>()),
        JsonArray a when a.All(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.Number) =>
            $"new JsonArray({string.Join(", ", a.Select(x => Number(x!.GetValue<double>())))})",
        _ => $"JsonNode.Parse({Literal(value.ToJsonString())})",
    };

    /// <summary>A double literal that round-trips exactly (always with a '.' or exponent so C# reads a double).</summary>
    static string Number(double d)
    {
        string s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }

    /// <summary>A C# string literal: JSON string escapes are valid C# escapes.</summary>
    static string Literal(string s) => JsonSerializer.Serialize(s);
}
