using System.Globalization;
using TrainKit.Schedulers.Golden;

namespace TrainKit.Cli.Commands;

/// <summary>The table `schedule replay` and `schedule differential` print: one row per case, then the totals.</summary>
public static class ReplayReport
{
    public static void Write(TextWriter output, IReadOnlyList<(string Name, ReplayResult Result)> rows)
    {
        output.WriteLine($"{"case",-50} {"category",-30} {"steps",5}  {"max lr rel err",14}  {"max mom rel err",15}  result");
        foreach (var (name, r) in rows)
        {
            string verdict = r.Passed ? "ok" : "FAIL";
            if (r.Error is not null) verdict += ": " + r.Error;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-50} {r.Category,-30} {r.Steps,5}  {r.MaxLrError,14:E2}  {r.MaxMomentumError,15:E2}  {verdict}"));
        }
        int passed = rows.Count(r => r.Result.Passed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{passed}/{rows.Count} within {ReplayResult.Tolerance:E0} relative; {rows.Count - passed} failed"));
        foreach (var category in rows.Where(r => !r.Result.Passed).Select(r => r.Result.Category).Distinct().Order(StringComparer.Ordinal))
            output.WriteLine($"  failed {category}: {rows.Count(r => r.Result.Category == category && !r.Result.Passed)} case(s) differ");
    }
}
