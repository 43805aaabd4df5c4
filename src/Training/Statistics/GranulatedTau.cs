namespace TrainKit.Training.Statistics;

/// <summary>Jiang et al. 2020's granulated Kendall coefficient. For hyperparameter axis i, ψᵢ is the mean of
/// τ over every group of configurations that agree on all other axes (τ within a group sees only axis i change);
/// Ψ is the mean of ψᵢ over the axes. Groups with fewer than two configurations have no τ and are skipped.</summary>
public static class GranulatedTau
{
    public sealed record Point(IReadOnlyDictionary<string, string> Axes, double X, double Y);

    public sealed record Result(IReadOnlyDictionary<string, double> PerAxis, IReadOnlyDictionary<string, int> GroupsPerAxis, double Psi);

    public static Result Of(IReadOnlyList<Point> points)
    {
        if (points.Count == 0) throw new ArgumentException("granulated τ of no points");
        var axes = points[0].Axes.Keys.Order(StringComparer.Ordinal).ToList();
        if (points.Any(p => p.Axes.Count != axes.Count || axes.Any(a => !p.Axes.ContainsKey(a))))
            throw new ArgumentException($"every point must name the same hyperparameter axes ({string.Join(", ", axes)})");
        var perAxis = new Dictionary<string, double>();
        var groups = new Dictionary<string, int>();
        foreach (string axis in axes)
        {
            var taus = points.GroupBy(p => string.Join("\u001f", axes.Where(a => a != axis).Select(a => p.Axes[a])))
                .Where(g => g.Count() >= 2)
                .Select(g => KendallTau.TauB([.. g.Select(p => (p.X, p.Y))]))
                .ToList();
            if (taus.Count == 0) continue;
            perAxis[axis] = taus.Average();
            groups[axis] = taus.Count;
        }
        return new Result(perAxis, groups, perAxis.Count == 0 ? double.NaN : perAxis.Values.Average());
    }
}
