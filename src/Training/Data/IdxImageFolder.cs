namespace TrainKit.Training.Data;

/// <summary>Loads an MNIST-format split (MNIST, Fashion-MNIST, the embedded subset) from a folder of
/// idx files: <c>train-images-idx3-ubyte[.gz]</c> + <c>train-labels-idx1-ubyte[.gz]</c>, or the t10k pair.</summary>
public static class IdxImageFolder
{
    public static bool Contains(string folder, DatasetSplit split, DatasetInfo info) =>
        info.RequiredFiles(split).All(name => FindFile(folder, name) is not null);

    public static ImageDataset Load(string folder, DatasetSplit split, DatasetInfo info, string? name = null)
    {
        var names = info.RequiredFiles(split);
        string imagesPath = FindFile(folder, names[0]) ?? throw Missing(folder, names[0]);
        string labelsPath = FindFile(folder, names[1]) ?? throw Missing(folder, names[1]);

        IdxArray images = IdxFile.Read(imagesPath);
        IdxArray labels = IdxFile.Read(labelsPath);
        if (images.Shape.Length != 3 || images.Shape[1] != info.ImageSize || images.Shape[2] != info.ImageSize)
            throw new InvalidDataException(
                $"{imagesPath}: expected images of shape [N, {info.ImageSize}, {info.ImageSize}], the idx header says [{string.Join(", ", images.Shape)}]");
        if (labels.Shape.Length != 1)
            throw new InvalidDataException($"{labelsPath}: expected a rank-1 label array, the idx header says [{string.Join(", ", labels.Shape)}]");
        if (labels.Count != images.Count)
            throw new InvalidDataException($"{labelsPath}: {labels.Count} labels for the {images.Count} images in {imagesPath}");

        return ImageDataset.FromBytes(name ?? info.Name, labelsPath, images.Data, labels.Data,
            info.Channels, info.ImageSize, info.ImageSize, info.ClassNames, info.Stats);
    }

    /// <summary>The gzip file if present, else the raw one; null when neither exists.</summary>
    static string? FindFile(string folder, string baseName)
    {
        foreach (string candidate in new[] { baseName + ".gz", baseName })
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    static FileNotFoundException Missing(string folder, string baseName) =>
        new($"{Path.Combine(folder, baseName)}(.gz) not found", Path.Combine(folder, baseName + ".gz"));
}
