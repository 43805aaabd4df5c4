namespace TrainKit.Cli.Tests;

/// <summary>Runs the CLI in-process and captures what it prints.</summary>
public static class CliHarness
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = TrainKitCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
