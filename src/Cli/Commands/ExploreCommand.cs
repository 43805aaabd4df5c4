using System.CommandLine;
using TrainKit.Explorer.Server;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit explore [--port N]`: serve the schedule explorer on 127.0.0.1 until Ctrl+C.</summary>
public static class ExploreCommand
{
    public const int DefaultPort = 5310;

    public static Command Create()
    {
        var port = new Option<int>("--port", "-p")
        {
            Description = $"Port on 127.0.0.1 (0: any free port). Default {DefaultPort}.",
            DefaultValueFactory = _ => DefaultPort,
        };
        var command = new Command("explore", "Serve a local page to adjust schedules and watch their effect on convergence and stability.") { port };
        // Ctrl+C cancels the token (System.CommandLine's process-termination handling); the server then stops cleanly.
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            await using var server = await ExplorerServer.StartAsync(parse.GetValue(port), cancellationToken);
            output.WriteLine($"TrainKit schedule explorer: {server.Url}  (Ctrl+C to stop)");
            await server.WaitAsync(cancellationToken);
            output.WriteLine("explorer stopped");
            return 0;
        });
        return command;
    }
}
