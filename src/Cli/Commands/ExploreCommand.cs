using System.CommandLine;
using System.Net;
using TrainKit.Explorer.Server;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit explore [--host ADDRESS] [--port N]`: serve the schedule explorer until Ctrl+C, on
/// 127.0.0.1 unless <c>--host</c> names another address (e.g. 0.0.0.0 inside a container, so that
/// <c>docker run -p</c> can reach it).</summary>
public static class ExploreCommand
{
    public const int DefaultPort = 5310;

    public static Command Create()
    {
        var port = new Option<int>("--port", "-p")
        {
            Description = $"Port (0: any free port). Default {DefaultPort}.",
            DefaultValueFactory = _ => DefaultPort,
        };
        var host = new Option<string?>("--host")
        {
            Description = "IP address to listen on. Default 127.0.0.1 (this machine only); 0.0.0.0 or :: opens the page to the network, e.g. in a container.",
        };
        var command = new Command("explore", "Serve a local page to adjust schedules and watch their effect on convergence and stability.") { host, port };
        // Ctrl+C cancels the token (System.CommandLine's process-termination handling); the server then stops cleanly.
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            IPAddress address = parse.GetValue(host) is string text ? ParseHost(text) : ExplorerServer.DefaultHost;
            await using var server = await ExplorerServer.StartAsync(address, parse.GetValue(port), cancellationToken);
            output.WriteLine($"TrainKit schedule explorer: {server.Url}  (Ctrl+C to stop)");
            if (!IPAddress.IsLoopback(address))
                output.WriteLine($"note: --host {address} is not a loopback address; anyone who can reach this machine on port {server.Url.Port} can use the page");
            await server.WaitAsync(cancellationToken);
            output.WriteLine("explorer stopped");
            return 0;
        });
        return command;
    }

    /// <summary>An IP address, or <c>localhost</c> for 127.0.0.1. Host names are refused: which interfaces a
    /// name resolves to is not something the user sees, and a listening address should be chosen on purpose.</summary>
    public static IPAddress ParseHost(string text)
    {
        if (string.Equals(text, "localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        // TryParse also takes shorthand such as "5310" (0.0.20.190); only the full dotted quad or an IPv6 form is meant.
        if (IPAddress.TryParse(text, out IPAddress? address) && (text.Contains(':') || text.Count(c => c == '.') == 3)) return address;
        throw new ArgumentException($"--host must be an IP address (127.0.0.1, 0.0.0.0, ::1, ...) or localhost, got '{text}'");
    }
}
