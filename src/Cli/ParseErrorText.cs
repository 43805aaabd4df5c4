using System.Text.RegularExpressions;

namespace TrainKit.Cli;

/// <summary>Rewrites System.CommandLine's parse messages for people: "expected type 'System.Nullable`1[System.Int64]'"
/// becomes "expected an integer".</summary>
static partial class ParseErrorText
{
    public static string Describe(string message) =>
        ExpectedType().Replace(message, m => $": expected {Friendly(m.Groups["type"].Value)}.");

    static string Friendly(string type)
    {
        string inner = NullableOf().Match(type) is { Success: true } n ? n.Groups["inner"].Value : type;
        return inner switch
        {
            "System.Int32" or "System.Int64" => "an integer",
            "System.Double" or "System.Single" => "a number",
            "System.Boolean" => "true or false",
            "System.IO.FileInfo" => "a file path",
            "System.IO.DirectoryInfo" => "a folder path",
            _ => $"a value of type {inner}",
        };
    }

    [GeneratedRegex(@" as expected type '(?<type>[^']+)'\.?")]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>.+)\]$")]
    private static partial Regex NullableOf();
}
