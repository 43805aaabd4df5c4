using System.Globalization;
using TrainKit.Schedulers.Config;

namespace TrainKit.Explorer.Export;

/// <summary>
/// "Copy as C#": the library's <see cref="CSharpSnippet"/> for this schedule, with a note on the optimizer it
/// expects (the page's base lr) and on stepping it.
/// </summary>
public sealed record CSharpExport(IReadOnlyList<string> Usings, string Statements)
{
    /// <summary>What the page's "copy as C#" button copies.</summary>
    public string Text => string.Join("\n", Usings) + "\n\n" + Statements;

    public static CSharpExport From(ScheduleSpec spec, double baseLr) => new(CSharpSnippet.Usings,
        string.Create(CultureInfo.InvariantCulture, $"// optimizer: any TorchSharp optimizer whose lr is the base lr, e.g. torch.optim.SGD(model.parameters(), lr: {baseLr:R})\n") +
        CSharpSnippet.Statements(spec) +
        "// then, after every optimizer.step(): scheduler.step();\n");
}
