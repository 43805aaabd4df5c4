namespace TrainKit.Training.Data;

/// <summary>The one entry point the trainer needs: a dataset name and a split in, an
/// <see cref="ImageDataset"/> out. The default name is the embedded Fashion-MNIST subset, so a run
/// with no data options works offline.</summary>
public static class ImageDatasets
{
    public static ImageDataset Load(string? name, DatasetSplit split, DataLocatorOptions? options = null) =>
        LoadAsync(name, split, options).GetAwaiter().GetResult();

    public static async Task<ImageDataset> LoadAsync(string? name, DatasetSplit split, DataLocatorOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new DataLocatorOptions();
        if (string.IsNullOrWhiteSpace(name) && !string.IsNullOrEmpty(options.ExplicitPath))
            throw new ArgumentException(
                $"--data {options.ExplicitPath} was given without a dataset name; name its format ({string.Join(", ", KnownDatasets.All.Select(d => d.Name))})");
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Equals(KnownDatasets.EmbeddedName, StringComparison.OrdinalIgnoreCase))
            return IdxImageFolder.Load(EmbeddedFashionMnist.Locate(), split, KnownDatasets.FashionMnist, KnownDatasets.EmbeddedName);

        DatasetInfo info = KnownDatasets.Get(name);
        DatasetLocation location = await DatasetLocator.LocateAsync(info, split, options, cancellation);
        return LoadFrom(location.Folder, info, split);
    }

    /// <summary>Reads a split of <paramref name="info"/> from a folder already known to hold it.</summary>
    public static ImageDataset LoadFrom(string folder, DatasetInfo info, DatasetSplit split) => info.Format switch
    {
        DatasetFormat.Idx => IdxImageFolder.Load(folder, split, info),
        DatasetFormat.Cifar10Binary or DatasetFormat.Cifar100Binary => CifarBinary.Load(folder, split, info),
        _ => throw new ArgumentOutOfRangeException(nameof(info), info.Format, "unknown dataset format"),
    };
}
