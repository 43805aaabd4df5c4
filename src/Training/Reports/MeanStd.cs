namespace TrainKit.Training.Reports;

/// <summary>Mean and sample standard deviation over seeds (std is 0 for one seed).</summary>
public readonly record struct MeanStd(double Mean, double Std, int Count)
{
    public static MeanStd? Of(IEnumerable<double?> values)
    {
        double[] v = values.Where(x => x is not null).Select(x => x!.Value).ToArray();
        if (v.Length == 0) return null;
        double mean = v.Average();
        double std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return new MeanStd(mean, std, v.Length);
    }

    public string ToString(string format) =>
        Count > 1 ? $"{Mean.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} ± {Std.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}"
                  : Mean.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
