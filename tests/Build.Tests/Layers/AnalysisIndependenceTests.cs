using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace TrainKit.Build.Tests.Layers;

/// <summary>TrainKit.Analysis (the estimators) sits below TrainKit.Training: it may not reference it, neither in
/// its project nor through a project it references, nor in the assembly the compiler produced.</summary>
public class AnalysisIndependenceTests
{
    [Fact]
    public void The_analysis_project_references_no_training_project_directly_or_through_another()
    {
        var reached = ProjectClosure(RepositoryFiles.PathOf("src/Analysis/TrainKit.Analysis.csproj"));

        Assert.Contains(reached, p => Path.GetFileName(p) == "TrainKit.IO.csproj");   // the walk does follow references
        Assert.DoesNotContain(reached, p => Path.GetFileName(p) == "TrainKit.Training.csproj");
    }

    [Fact]
    public void The_built_analysis_assembly_references_no_training_assembly()
    {
        // Copied next to the tests by this project's ProjectReference; read as metadata, never loaded.
        string dll = Path.Combine(AppContext.BaseDirectory, "TrainKit.Analysis.dll");
        using var pe = new PEReader(File.OpenRead(dll));
        var metadata = pe.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();

        Assert.Contains("TorchSharp", references);
        Assert.DoesNotContain("TrainKit.Training", references);
        Assert.All(references, r => Assert.False(r.StartsWith("TrainKit.Training", StringComparison.Ordinal), r));
    }

    /// <summary>The project and every project it reaches through ProjectReference items.</summary>
    static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current)) continue;
            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
            {
                string include = (string?)reference.Attribute("Include") ?? throw new InvalidDataException($"{current}: ProjectReference without Include");
                include = include.Replace("$(RepositoryRoot)", RepositoryFiles.Root + Path.DirectorySeparatorChar).Replace('\\', '/');
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, include)));
            }
        }
        return seen;
    }
}
