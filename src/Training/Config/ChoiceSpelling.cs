using System.Reflection;
using System.Text.Json.Serialization;

namespace TrainKit.Training.Config;

/// <summary>The JSON spellings of a configuration choice, taken from its members' <see cref="JsonStringEnumMemberNameAttribute"/>
/// (every member must have one: a spelling derived from the C# name would change when the member is renamed).</summary>
public static class ChoiceSpelling<T> where T : struct, Enum
{
    static readonly (T Value, string Name)[] Members = [.. typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => ((T)f.GetValue(null)!, f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
            ?? throw new InvalidOperationException($"{typeof(T).Name}.{f.Name} has no [JsonStringEnumMemberName]")))];

    /// <summary>Every allowed spelling, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Members.Select(m => m.Name)];

    /// <summary>The spelling of <paramref name="value"/>, as config files write it.</summary>
    public static string Of(T value) => Members.First(m => m.Value.Equals(value)).Name;

    /// <summary>The member spelled <paramref name="text"/> (exactly, case included), or null.</summary>
    public static T? TryParse(string text) => Members.Any(m => m.Name == text) ? Members.First(m => m.Name == text).Value : null;

    /// <summary>The member spelled <paramref name="text"/>; otherwise an <see cref="ArgumentException"/> naming
    /// <paramref name="key"/> and the allowed spellings (for values that come from a CLI flag).</summary>
    public static T Parse(string key, string text) => TryParse(text) ?? throw new ArgumentException(NotAllowed(key, text));

    internal static string NotAllowed(string key, string got) => $"{key} must be one of {string.Join(", ", Names)}; got {got}";
}

/// <summary>Spelling a choice in a message: <c>$"task {config.Task.Spelling()}"</c> writes what the config file says,
/// not the C# member name.</summary>
public static class ChoiceSpellingExtensions
{
    public static string Spelling<T>(this T value) where T : struct, Enum => ChoiceSpelling<T>.Of(value);
}
