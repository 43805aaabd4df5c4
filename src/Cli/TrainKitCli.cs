using System.CommandLine;
using TrainKit.Cli.Commands;

namespace TrainKit.Cli;

/// <summary>The `trainkit` command tree and its one error policy: a failure prints one line and
/// exits non-zero; the stack trace appears only with --verbose.</summary>
public static class TrainKitCli
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show stack traces and extra diagnostics on errors.",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("TrainKit: learning-rate schedules, training and sharpness analysis on TorchSharp.");
        root.Options.Add(Verbose);
        foreach (Command command in CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }

    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        TrainKit.Training.Runtime.NativeAllocator.Tune();
        ParseResult parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Parse errors (a value of the wrong type, an unknown flag, a repeated option) are bad input, like a
            // bad config value: exit 2, naming the option, and point at the command's help.
            foreach (var parseError in parse.Errors)
                error.WriteLine($"error: {ParseErrorText.Describe(parseError.Message)}");
            var names = new List<string>();
            for (var at = parse.CommandResult; at.Parent is System.CommandLine.Parsing.CommandResult parent; at = parent)
                names.Insert(0, at.Command.Name);
            error.WriteLine($"see `{string.Join(' ', ["trainkit", .. names])} --help`");
            return ExitCodes.BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = output,
                Error = error,
            });
        }
        catch (Exception ex)
        {
            Exception shown = ex is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0] : ex;
            error.WriteLine($"error: {shown.Message}");
            if (parse.GetValue(Verbose))
                error.WriteLine(shown.ToString());
            return ExitCodes.For(shown);
        }
    }
}
