using System.CommandLine;

namespace TrainKit.Cli.Commands;

/// <summary>Every top-level command, one file each. Add new commands here.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return InfoCommand.Create();
        yield return DemoCommand.Create();
        yield return ScheduleCommand.Create();
        yield return TrainCommand.Create();
        yield return AnalyzeCommand.Create();
        yield return ExportCommand.Create();
        yield return CompareCommand.Create();
        yield return WorkerCommand.Create();
        yield return TuneCommand.Create();
        yield return CorrelateCommand.Create();
        yield return AggregateCommand.Create();
        yield return LrFindCommand.Create();
        yield return BenchCommand.Create();
        yield return ExploreCommand.Create();
    }
}
