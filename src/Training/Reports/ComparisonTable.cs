using System.Globalization;
using System.Net;
using System.Text;
using TrainKit.Training.Experiments;
using TrainKit.Training.Statistics;

namespace TrainKit.Training.Reports;

public enum ComparisonOutcome { Better, Worse, NoDetectableDifference, Equivalent }

/// <summary>One row of report/comparison.csv: a variant against the baseline on one metric.</summary>
public sealed record ComparisonRow(string Variant, string Baseline, string Metric, PairedDifference Difference, ComparisonOutcome Outcome)
{
    public string OutcomeName => ComparisonTable.Name(Outcome);
}

/// <summary>
/// Every variant against the experiment's baseline, paired by seed: cells with the same seed share the
/// initialization and the data order, so (variant − baseline) per seed removes that shared noise. The 95 % CI is
/// Student's t over the paired differences (<see cref="PairedDifference"/>). Outcome: <c>equivalent</c> when the
/// experiment sets a margin for the metric and the CI lies inside ±margin; otherwise <c>better</c>/<c>worse</c>
/// (by the metric's direction) when the CI excludes 0; otherwise <c>no_detectable_difference</c>, which includes
/// fewer than 2 pairs (no CI). Diverged cells have no final metrics and drop out of their pairs.
/// </summary>
public static class ComparisonTable
{
    public const string FileName = "comparison.csv";
    public const string Header = "variant,baseline,metric,n_pairs,mean_diff,ci_low,ci_high,p_value,outcome";

    /// <param name="baselineOf">A baseline per variant where the experiment compares within groups (e.g. each
    /// schedule against the reference schedule of the same budget); variants it leaves out use the experiment's.</param>
    public static IReadOnlyList<ComparisonRow> Build(ExperimentSpec spec, IReadOnlyList<CellRecord> cells, IReadOnlyDictionary<string, string>? baselineOf = null)
    {
        string experimentBaseline = spec.BaselineVariant();
        foreach (var (key, margin) in spec.EquivalenceMargins)
        {
            if (ComparisonMetric.Standard.All(m => m.Key != key))
                throw new ArgumentException($"experiment '{spec.Name}': equivalence_margins names unknown metric '{key}' (known: {string.Join(", ", ComparisonMetric.Standard.Select(m => m.Key))})");
            if (!(margin > 0) || !double.IsFinite(margin))
                throw new ArgumentException($"experiment '{spec.Name}': equivalence_margins.{key} must be a positive number, got {margin}");
        }
        var rows = new List<ComparisonRow>();
        foreach (var variant in spec.Variants.Select(v => v.Name))
        {
            string baseline = baselineOf?.GetValueOrDefault(variant) ?? experimentBaseline;
            if (variant == baseline || (baselineOf is not null && !baselineOf.ContainsKey(variant))) continue;
            foreach (var metric in ComparisonMetric.Standard)
            {
                var pairs = PairedValues(cells, variant, baseline, metric);
                if (pairs.Count == 0) continue;
                var difference = PairedDifference.Of([.. pairs.Select(p => p.Variant)], [.. pairs.Select(p => p.Baseline)]);
                double? margin = spec.EquivalenceMargins.TryGetValue(metric.Key, out double m) ? m : null;
                rows.Add(new ComparisonRow(variant, baseline, metric.Key, difference, Decide(difference, metric.HigherIsBetter, margin)));
            }
        }
        return rows;
    }

    /// <summary>(seed, variant value, baseline value) for every seed both variants finished without diverging.</summary>
    public static List<(long Seed, double Variant, double Baseline)> PairedValues(IReadOnlyList<CellRecord> cells, string variant, string baseline, ComparisonMetric metric)
    {
        var baselineBySeed = cells.Where(c => c.Variant == baseline && !c.Diverged && metric.Read(c) is not null).ToDictionary(c => c.Seed, c => metric.Read(c)!.Value);
        return [.. cells.Where(c => c.Variant == variant && !c.Diverged && metric.Read(c) is not null && baselineBySeed.ContainsKey(c.Seed))
            .OrderBy(c => c.Seed).Select(c => (c.Seed, metric.Read(c)!.Value, baselineBySeed[c.Seed]))];
    }

    public static ComparisonOutcome Decide(PairedDifference difference, bool higherIsBetter, double? equivalenceMargin)
    {
        var ci = difference.Ci;
        if (double.IsNaN(ci.Low) || double.IsNaN(ci.High)) return ComparisonOutcome.NoDetectableDifference;
        if (equivalenceMargin is double m && ci.Low >= -m && ci.High <= m) return ComparisonOutcome.Equivalent;
        if (!ci.ExcludesZero) return ComparisonOutcome.NoDetectableDifference;
        return (ci.Low > 0) == higherIsBetter ? ComparisonOutcome.Better : ComparisonOutcome.Worse;
    }

    public static string Name(ComparisonOutcome outcome) => outcome switch
    {
        ComparisonOutcome.Better => "better",
        ComparisonOutcome.Worse => "worse",
        ComparisonOutcome.Equivalent => "equivalent",
        _ => "no_detectable_difference",
    };

    static string R(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);
    static string G(double v) => double.IsNaN(v) ? "–" : v.ToString("+0.0000;−0.0000;0", CultureInfo.InvariantCulture);
    static string P(double v) => double.IsNaN(v) ? "–" : v.ToString(v < 1e-3 ? "0.0e0" : "0.000", CultureInfo.InvariantCulture);

    public static string Csv(IReadOnlyList<ComparisonRow> rows)
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var r in rows)
            sb.Append($"{r.Variant},{r.Baseline},{r.Metric},{r.Difference.Pairs},{R(r.Difference.MeanDiff)},{R(r.Difference.Ci.Low)},{R(r.Difference.Ci.High)},{R(r.Difference.PValue)},{r.OutcomeName}\n");
        return sb.ToString();
    }

    const string Explanation = "Paired over shared seeds: mean of (variant − baseline), 95 % t interval over the per-seed differences, paired t-test p-value.";

    static bool OneBaseline(IReadOnlyList<ComparisonRow> rows) => rows.Select(r => r.Baseline).Distinct().Count() == 1;

    const string PerVariantBaselines = "the reference schedule of the same budget";

    public static string Markdown(IReadOnlyList<ComparisonRow> rows)
    {
        if (rows.Count == 0) return "";
        bool one = OneBaseline(rows);
        var sb = new StringBuilder($"\n## Paired comparison with {(one ? $"the baseline `{rows[0].Baseline}`" : PerVariantBaselines)}\n\n{Explanation}\n\n");
        sb.AppendLine($"| variant |{(one ? "" : " baseline |")} metric | pairs | mean diff | 95 % CI | p | outcome | per-seed differences |\n|---|---|---|---|---|---|---|---|{(one ? "" : "---|")}");
        foreach (var r in rows)
            sb.AppendLine($"| {r.Variant} |{(one ? "" : $" {r.Baseline} |")} {r.Metric} | {r.Difference.Pairs} | {G(r.Difference.MeanDiff)} | [{G(r.Difference.Ci.Low)}, {G(r.Difference.Ci.High)}] | {P(r.Difference.PValue)} | {r.OutcomeName} | {string.Join(", ", r.Difference.Differences.Select(G))} |");
        return sb.ToString();
    }

    public static string Html(IReadOnlyList<ComparisonRow> rows)
    {
        if (rows.Count == 0) return "";
        static string E(string s) => WebUtility.HtmlEncode(s);
        bool one = OneBaseline(rows);
        var sb = new StringBuilder($"<h2>Paired comparison with {(one ? $"the baseline <code>{E(rows[0].Baseline)}</code>" : E(PerVariantBaselines))}</h2>\n<p>{E(Explanation)} Also in <a href=\"{FileName}\">{FileName}</a>.</p>\n");
        sb.Append($"<table id=\"comparison\"><tr><th>variant</th>{(one ? "" : "<th>baseline</th>")}<th>metric</th><th>pairs</th><th>mean diff</th><th>95 % CI</th><th>p</th><th>outcome</th><th>per-seed differences</th></tr>\n");
        foreach (var r in rows)
            sb.Append($"<tr><td>{E(r.Variant)}</td>{(one ? "" : $"<td>{E(r.Baseline)}</td>")}<td>{E(r.Metric)}</td><td>{r.Difference.Pairs}</td><td>{G(r.Difference.MeanDiff)}</td><td>[{G(r.Difference.Ci.Low)}, {G(r.Difference.Ci.High)}]</td><td>{P(r.Difference.PValue)}</td><td class=\"{r.OutcomeName}\">{r.OutcomeName}</td><td>{E(string.Join(", ", r.Difference.Differences.Select(G)))}</td></tr>\n");
        sb.Append("</table>\n");
        return sb.ToString();
    }
}
