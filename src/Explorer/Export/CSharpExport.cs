using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrainKit.Schedulers.Config;

namespace TrainKit.Explorer.Export;

/// <summary>
/// "Copy as C#": the using directives and the statements that build this schedule's scheduler on an
/// existing TorchSharp optimizer named <c>optimizer</c>, through the same factory the trainer uses.
/// </summary>
/// <remarks>
/// Not yet the library's CSharpSnippet: it writes whole numbers as C# ints (<c>["T_max"] = 300</c>), which
/// become int-typed JsonValues that ParamReader cannot read as doubles (InvalidOperationException when the
/// scheduler is built; ExportTests catches it). Numbers here are always double literals. Switch to
/// CSharpSnippet.For once that is fixed; ExportTests will say whether it works.
/// </remarks>
public sealed record CSharpExport(IReadOnlyList<string> Usings, string Statements)
{
    public static readonly IReadOnlyList<string> RequiredUsings =
    [
        "using System.Text.Json.Nodes;",
        "using TrainKit.Schedulers.Adapter;",
        "using TrainKit.Schedulers.Config;",
        "using TrainKit.Schedulers.Coupling;",
    ];

    /// <summary>What the page's "copy as C#" button copies.</summary>
    public string Text => string.Join("\n", Usings) + "\n\n" + Statements;

    public static CSharpExport From(ScheduleSpec spec, double baseLr)
    {
        var code = new StringBuilder();
        code.Append(CultureInfo.InvariantCulture, $"// optimizer: any TorchSharp optimizer whose lr is the base lr, e.g. torch.optim.SGD(model.parameters(), lr: {Number(baseLr)})\n");
        code.Append("var spec = new ScheduleSpec\n{\n");
        code.Append(CultureInfo.InvariantCulture, $"    Kind = {Literal(spec.Kind)},\n");
        code.Append("    Params = new JsonObject\n    {\n");
        foreach (var (name, value) in spec.Params)
            code.Append(CultureInfo.InvariantCulture, $"        [{Literal(name)}] = {Value(value)},\n");
        code.Append("    },\n");
        if (spec.Unit != Schedulers.Adapter.TimeUnit.Steps) code.Append(CultureInfo.InvariantCulture, $"    Unit = TimeUnit.{spec.Unit},\n");
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
        code.Append("var scheduler = ScheduleFactory.CreateScheduler(spec, optimizer);\n");
        code.Append("// then, after every optimizer.step(): scheduler.step();\n");
        return new CSharpExport(RequiredUsings, code.ToString());
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
        // Nested schedules and anything else: parse the exact JSON, which is what the config would hold.
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
