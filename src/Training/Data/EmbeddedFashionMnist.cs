namespace TrainKit.Training.Data;

/// <summary>Where the Fashion-MNIST subset shipped with TrainKit lives (10k train / 2k test,
/// class-balanced; see data/fashion-mnist-subset/make_subset.py). It lets every default run work offline.</summary>
public static class EmbeddedFashionMnist
{
    public const string RelativeFolder = "data/fashion-mnist-subset";

    /// <summary>The folder next to the running program, else the repository copy above it.</summary>
    public static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, RelativeFolder);
            if (File.Exists(Path.Combine(candidate, "train-images-idx3-ubyte.gz")))
                return candidate;
        }
        throw new DirectoryNotFoundException(
            $"the embedded Fashion-MNIST subset ({RelativeFolder}) was not found next to {AppContext.BaseDirectory} or above it");
    }
}
