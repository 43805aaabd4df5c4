using System.Text.RegularExpressions;

namespace TrainKit.Build.Tests.Layers;

/// <summary>
/// Each folder of src/Training is one namespace (TrainKit.Training.Loop, .Reports, ...). Their dependencies must form
/// a graph without cycles, so that a layer can be read, tested and moved out without the ones above it. The graph is
/// read from the sources: using directives and qualified names (TrainKit.Training.X.Y, or X.Y where Y is a type
/// declared in folder X). A using that is not needed still counts: it is cheaper to delete than to explain.
/// </summary>
public partial class TrainingNamespaceCycleTests
{
    [Fact]
    public void The_folders_of_TrainKit_Training_depend_on_each_other_without_a_cycle()
    {
        var graph = Dependencies(RepositoryFiles.PathOf("src/Training"));

        Assert.True(graph.Count >= 10, $"expected the Training folders, found {string.Join(", ", graph.Keys)}");
        Assert.Contains("Checkpoints", graph["Loop"]);   // the scan sees using directives
        Assert.Contains("RunAnalysis", graph["Reports"]);   // and partially qualified names (RunAnalysis.SnapshotEnsemble)
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, $"namespace cycle in TrainKit.Training: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void A_cycle_is_found_and_named()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["Loop"] = ["Config"],
            ["Config"] = [],
            ["Experiments"] = ["Reports", "Loop"],
            ["Reports"] = ["Experiments"],
        };
        Assert.Equal(["Experiments", "Reports", "Experiments"], FindCycle(graph));
        graph["Reports"].Clear();
        Assert.Null(FindCycle(graph));
    }

    /// <summary>Folder → the other folders its sources name.</summary>
    static Dictionary<string, HashSet<string>> Dependencies(string root)
    {
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>()
            .Where(d => d is not ("bin" or "obj")).ToList();
        var sources = folders.ToDictionary(f => f, f => Directory.GetFiles(Path.Combine(root, f), "*.cs", SearchOption.AllDirectories)
            .Select(File.ReadAllText).Select(s => LineComment().Replace(s, "")).ToList());
        var declared = folders.ToDictionary(f => f, f => sources[f].SelectMany(s => TypeDeclaration().Matches(s)).Select(m => m.Groups[1].Value).ToHashSet());

        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var folder in folders)
        {
            var uses = new HashSet<string>();
            foreach (var source in sources[folder])
            {
                foreach (Match m in FullyQualified().Matches(source))
                    if (folders.Contains(m.Groups[1].Value)) uses.Add(m.Groups[1].Value);
                foreach (var other in folders.Where(o => o != folder))
                    foreach (Match m in Regex.Matches(source, $@"(?<![\w.]){other}\.([A-Z]\w*)"))
                        if (declared[other].Contains(m.Groups[1].Value)) uses.Add(other);
            }
            uses.Remove(folder);
            graph[folder] = uses;
        }
        return graph;
    }

    /// <summary>A path A -> ... -> A, or null when the graph is acyclic (depth-first search, colouring nodes).</summary>
    static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = new Dictionary<string, int>();   // absent: unvisited, 1: on the current path, 2: done
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
            {
                if (state.GetValueOrDefault(next) == 1) return [.. path.Skip(path.IndexOf(next)), next];
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle) return cycle;
        return null;
    }

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+([A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"TrainKit\.Training\.(\w+)")]
    private static partial Regex FullyQualified();
}
