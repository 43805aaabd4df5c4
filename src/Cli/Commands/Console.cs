using System.CommandLine;
using Spectre.Console;

namespace TrainKit.Cli.Commands;

/// <summary>The Spectre console for a command, writing wherever the invocation's output goes.</summary>
static class CommandConsole
{
    public static IAnsiConsole For(ParseResult parse) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Output) });
}
