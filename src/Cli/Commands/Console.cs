using System.CommandLine;
using Spectre.Console;

namespace TrainKit.Cli.Commands;

/// <summary>The Spectre console for a command, writing wherever the invocation's output goes.</summary>
static class CommandConsole
{
    public static IAnsiConsole For(ParseResult parse)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Output) });
        // Redirected output (a log file, CI) has no width; Spectre then assumes 80 columns and squeezes tables.
        if (Console.IsOutputRedirected || parse.InvocationConfiguration.Output != Console.Out) console.Profile.Width = 160;
        return console;
    }
}
