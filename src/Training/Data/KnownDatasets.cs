namespace TrainKit.Training.Data;

/// <summary>The datasets TrainKit can locate, download and read. URLs and MD5s are the ones the dataset
/// authors publish (also used by torchvision); the mean/std are the usual training-set statistics.</summary>
public static class KnownDatasets
{
    /// <summary>The name of the Fashion-MNIST subset bundled with TrainKit (the default dataset).</summary>
    public const string EmbeddedName = "fashion-mnist-subset";

    public static readonly DatasetInfo FashionMnist = new(
        "fashion-mnist", DatasetFormat.Idx, 1, 28,
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        new ChannelStats([0.2860], [0.3530]),
        new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
        [
            new("train-images-idx3-ubyte.gz", Checksum.Md5("8d4fb7e6c68d591d4c3dfef9ec88bf0d")),
            new("train-labels-idx1-ubyte.gz", Checksum.Md5("25c81989df183df01b3e8a0aad5dffbe")),
            new("t10k-images-idx3-ubyte.gz", Checksum.Md5("bef4ecab320f06d8554ea6380940ec79")),
            new("t10k-labels-idx1-ubyte.gz", Checksum.Md5("bb300cfdad3c16e7a12a480ee83cd310")),
        ]);

    public static readonly DatasetInfo Mnist = new(
        "mnist", DatasetFormat.Idx, 1, 28,
        [.. Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        new ChannelStats([0.1307], [0.3081]),
        // yann.lecun.com no longer serves the files reliably; this is torchvision's mirror of the same bytes.
        new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        [
            new("train-images-idx3-ubyte.gz", Checksum.Md5("f68b3c2dcbeaaa9fbdd348bbdeb94873")),
            new("train-labels-idx1-ubyte.gz", Checksum.Md5("d53e105ee54ea40749a09fcbcd1e9432")),
            new("t10k-images-idx3-ubyte.gz", Checksum.Md5("9fb629c4189551a2d022fa330f9573f3")),
            new("t10k-labels-idx1-ubyte.gz", Checksum.Md5("ec29112dd5afa0611ce80d1b7f02629c")),
        ]);

    public static readonly DatasetInfo Cifar10 = new(
        "cifar10", DatasetFormat.Cifar10Binary, 3, 32,
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
        new ChannelStats([0.4914, 0.4822, 0.4465], [0.2470, 0.2435, 0.2616]),
        new Uri("https://www.cs.toronto.edu/~kriz/"),
        [new("cifar-10-binary.tar.gz", Checksum.Md5("c32a1d4ab5d03f1284b67883e8d87530"), IsTarGz: true)],
        Subfolder: "cifar-10-batches-bin");

    /// <summary>CIFAR-100 (fine labels). The real class names are read from the archive's
    /// fine_label_names.txt when present; these placeholders are only a fallback.</summary>
    public static readonly DatasetInfo Cifar100 = new(
        "cifar100", DatasetFormat.Cifar100Binary, 3, 32,
        [.. Enumerable.Range(0, 100).Select(i => $"class_{i}")],
        new ChannelStats([0.5071, 0.4865, 0.4409], [0.2673, 0.2564, 0.2762]),
        new Uri("https://www.cs.toronto.edu/~kriz/"),
        [new("cifar-100-binary.tar.gz", Checksum.Md5("03b5dce01913d631647c71ecec9e9cb8"), IsTarGz: true)],
        Subfolder: "cifar-100-binary");

    public static readonly IReadOnlyList<DatasetInfo> All = [FashionMnist, Mnist, Cifar10, Cifar100];

    public static IReadOnlyList<string> Names => [EmbeddedName, .. All.Select(d => d.Name)];

    public static DatasetInfo Get(string name)
    {
        string key = name.Trim().ToLowerInvariant().Replace("_", "-");
        if (key == EmbeddedName) return FashionMnist;
        key = key switch { "cifar-10" => "cifar10", "cifar-100" => "cifar100", "fashionmnist" => "fashion-mnist", _ => key };
        return All.FirstOrDefault(d => d.Name == key)
            ?? throw new ArgumentException($"unknown dataset '{name}'; known: {string.Join(", ", Names)}");
    }
}
