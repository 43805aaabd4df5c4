using System.Globalization;

namespace TrainKit.Training.Experiments;

/// <summary>Shard I of N (0-based): the cells whose index is I modulo N, so N machines split a sweep
/// without talking to each other.</summary>
public readonly record struct Shard(int Index, int Count)
{
    public static readonly Shard All = new(0, 1);

    public bool Owns(Cell cell) => cell.Index % Count == Index;

    public static Shard Parse(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw new ArgumentException($"--shard must look like I/N (e.g. 0/4), got '{text}'");
        if (count < 1 || index >= count)
            throw new ArgumentException($"--shard I/N needs N >= 1 and 0 <= I < N, got '{text}'");
        return new Shard(index, count);
    }

    public override string ToString() => $"{Index}/{Count}";
}
