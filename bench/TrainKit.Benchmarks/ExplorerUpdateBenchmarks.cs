using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using TrainKit.Explorer.Server;

namespace TrainKit.Benchmarks;

/// <summary>
/// What one slider move costs the explorer's server: sample the schedules with the real scheduler, run the
/// three optimization problems, render the seven ScottPlot SVGs. The page's default state: two schedules,
/// 300 steps. Run: dotnet run -c Release --project bench/TrainKit.Benchmarks -- --filter '*ExplorerUpdate*' --inProcess
/// (in-process: BenchmarkDotNet's generated out-of-process project does not get libtorch's native library here).
/// </summary>
public class ExplorerUpdateBenchmarks
{
    static readonly ExploreRequest Request = new()
    {
        Steps = 300,
        Schedules =
        [
            new ScheduleEntry("cosine", new JsonObject { ["kind"] = "CosineAnnealingLR", ["params"] = new JsonObject { ["T_max"] = 300.0 } }),
            new ScheduleEntry("sgdr", new JsonObject { ["kind"] = "CosineAnnealingWarmRestarts", ["params"] = new JsonObject { ["T_0"] = 75.0 } }),
        ],
    };

    [Benchmark]
    public ExploreResponse Update() => ExplorerEngine.Update(Request);
}
