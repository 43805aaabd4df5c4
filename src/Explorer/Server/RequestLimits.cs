using Microsoft.AspNetCore.Http;

namespace TrainKit.Explorer.Server;

/// <summary>What the explorer's HTTP endpoints accept: loopback Host names only, bounded bodies and labels, and no
/// JSON nulls where the engine needs a value (those are a 400 with a message, not a 500).</summary>
public static class RequestLimits
{
    public const long MaxBodyBytes = 256 * 1024;
    /// <summary>Labels are drawn in every chart legend; rendering cost grows with their length.</summary>
    public const int MaxLabelLength = 100;

    public static bool IsLoopbackHost(HostString host) =>
        host.Host.ToLowerInvariant() is "127.0.0.1" or "localhost" or "[::1]" or "::1";

    /// <summary>A body that is not an ExploreRequest, said with the JSON path of the value that is wrong.</summary>
    public static string Describe(System.Text.Json.JsonException ex)
    {
        string where = ex.Path is { Length: > 0 } path && path != "$" ? $" at {path}" : "";
        string first = ex.Message.Split('\n')[0];
        int pathNote = first.IndexOf(" Path: ", StringComparison.Ordinal);
        return $"the request is not an ExploreRequest JSON object{where}: {(pathNote > 0 ? first[..pathNote] : first)}";
    }

    /// <summary>The first reason the request cannot be processed, or null.</summary>
    public static string? Problem(ExploreRequest? request)
    {
        if (request is null) return "the request body is empty or null; send an ExploreRequest JSON object";
        if (request.Schedules is null) return "'schedules' is null; send a list of {label, spec} entries";
        for (int i = 0; i < request.Schedules.Count; i++)
        {
            ScheduleEntry? entry = request.Schedules[i];
            if (entry is null) return $"schedules[{i}] is null";
            if (entry.Label is null) return $"schedules[{i}].label is null";
            if (entry.Label.Length > MaxLabelLength) return $"schedules[{i}].label is {entry.Label.Length} characters; at most {MaxLabelLength}";
            if (entry.Spec is null) return $"schedules[{i}].spec is null";
        }
        return null;
    }
}
