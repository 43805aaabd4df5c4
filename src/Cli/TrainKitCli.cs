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
