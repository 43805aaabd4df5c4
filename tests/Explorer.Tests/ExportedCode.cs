using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TrainKit.Schedulers.Config;
using static TorchSharp.torch.optim;

namespace TrainKit.Explorer.Tests;

/// <summary>Compiles an exported "copy as C#" snippet with Roslyn into a method Optimizer → scheduler, as a user pasting it would.</summary>
static class ExportedCode
{
    public static Func<Optimizer, lr_scheduler.LRScheduler> Compile(string snippet)
    {
        var lines = snippet.Split('\n');
        string usings = string.Join("\n", lines.Where(l => l.StartsWith("using ", StringComparison.Ordinal)));
        string statements = string.Join("\n", lines.Where(l => !l.StartsWith("using ", StringComparison.Ordinal)));
        string source = usings + """

            public static class Exported
            {
                public static TorchSharp.torch.optim.lr_scheduler.LRScheduler Make(TorchSharp.torch.optim.Optimizer optimizer)
                {
            """ + statements + """

                    return scheduler;
                }
            }
            """;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(ScheduleSpec).Assembly.Location)
            .Append(typeof(TorchSharp.torch).Assembly.Location)
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("Exported" + Guid.NewGuid().ToString("N"), [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(result.Success && problems.Length == 0,
            "the exported C# does not compile cleanly:\n" + string.Join("\n", problems.Select(d => d.ToString())) + "\n--- source ---\n" + source);
        var make = Assembly.Load(image.ToArray()).GetType("Exported")!.GetMethod("Make")!;
        return optimizer => (lr_scheduler.LRScheduler)make.Invoke(null, [optimizer])!;
    }
}
