using System.Text.Json;

namespace TrainKit.Cli;

/// <summary>Exit codes are part of the CLI contract other tools script against.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int Diverged = 3;

    public static int For(Exception ex) => ex switch
    {
        ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
            or JsonException or FormatException or UnauthorizedAccessException
            or TrainKit.Training.Data.DatasetUnavailableException => BadInput,
        TrainKit.Training.Loop.DivergenceException => Diverged,
        _ => Failure,
    };
}
