using System.Globalization;

namespace TrainKit.Schedulers.Validation;

/// <summary>
/// Parameter checks shared by every schedule. Each failure is an <see cref="ArgumentException"/> whose
/// one-line message names the parameter (PyTorch/HF spelling) and the allowed range, so the CLI can print it as is.
/// </summary>
public static class Check
{
    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    static ArgumentException Fail(string name, string range, double value) =>
        new($"{name} must be {range}, got {F(value)}", name);

    public static double Finite(double value, string name) =>
        double.IsFinite(value) ? value : throw Fail(name, "a finite number", value);

    public static double Positive(double value, string name) =>
        double.IsFinite(value) && value > 0 ? value : throw Fail(name, "> 0", value);

    public static double NonNegative(double value, string name) =>
        double.IsFinite(value) && value >= 0 ? value : throw Fail(name, ">= 0", value);

    public static double AtLeast(double value, double min, string name) =>
        double.IsFinite(value) && value >= min ? value : throw Fail(name, $">= {F(min)}", value);

    /// <summary>At least another parameter's value: the message names that parameter, so a bad value of either is found.</summary>
    public static double AtLeast(double value, double min, string name, string minName) =>
        double.IsFinite(value) && value >= min ? value : throw Fail(name, $">= {minName} ({F(min)})", value);

    /// <summary>[lo, hi] where hi is another parameter's value, named in the message.</summary>
    public static double Within(double value, double lo, double hi, string name, string hiName) =>
        double.IsFinite(value) && value >= lo && value <= hi ? value : throw Fail(name, $"in [{F(lo)}, {hiName} ({F(hi)})]", value);

    /// <summary>Open interval (lo, hi).</summary>
    public static double Between(double value, double lo, double hi, string name) =>
        double.IsFinite(value) && value > lo && value < hi ? value : throw Fail(name, $"in ({F(lo)}, {F(hi)})", value);

    /// <summary>Closed interval [lo, hi].</summary>
    public static double Within(double value, double lo, double hi, string name) =>
        double.IsFinite(value) && value >= lo && value <= hi ? value : throw Fail(name, $"in [{F(lo)}, {F(hi)}]", value);

    /// <summary>Half-open interval (lo, hi].</summary>
    public static double AboveUpTo(double value, double lo, double hi, string name) =>
        double.IsFinite(value) && value > lo && value <= hi ? value : throw Fail(name, $"in ({F(lo)}, {F(hi)}]", value);

    public static int PositiveInt(int value, string name) =>
        value > 0 ? value : throw Fail(name, ">= 1", value);

    public static int NonNegativeInt(int value, string name) =>
        value >= 0 ? value : throw Fail(name, ">= 0", value);

    /// <summary>The time argument of a schedule: schedules are defined for t >= 0.</summary>
    public static double Time(double t) =>
        t >= 0 && !double.IsNaN(t) && !double.IsPositiveInfinity(t) ? t : throw Fail("t", ">= 0 and finite", t);

    public static string OneOf(string value, string name, params string[] allowed) =>
        allowed.Contains(value) ? value : throw new ArgumentException($"{name} must be one of {string.Join(", ", allowed)}, got '{value}'", name);

    public static void That(bool condition, string name, string requirement)
    {
        if (!condition) throw new ArgumentException($"{name} {requirement}", name);
    }
}
