namespace TrainKit.Training.Statistics;

/// <summary>A confidence interval [Low, High] at a stated level (0.95 for 95 %).</summary>
public readonly record struct Interval(double Low, double High, double Level = 0.95)
{
    public bool Contains(double value) => value >= Low && value <= High;
    public bool ExcludesZero => Low > 0 || High < 0;
    public double Width => High - Low;
}
