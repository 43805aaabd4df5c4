using System.Security.Cryptography;

namespace TrainKit.Training.Data;

public enum DatasetSplit { Train, Test }

/// <summary>How a dataset is stored on disk.</summary>
public enum DatasetFormat
{
    /// <summary>MNIST-style idx files (images [N, H, W] and labels [N]), raw or gzip.</summary>
    Idx,
    /// <summary>CIFAR-10 binary: records of 1 label byte + 3072 pixel bytes (R, G, B planes of 32×32).</summary>
    Cifar10Binary,
    /// <summary>CIFAR-100 binary: 2 label bytes (coarse, fine) + 3072 pixel bytes; the fine label is used.</summary>
    Cifar100Binary,
}

/// <summary>An expected checksum. The dataset authors publish MD5 only (MNIST, Fashion-MNIST, CIFAR),
/// so MD5 is accepted as an integrity check; SHA-256 is used wherever a digest can be chosen.</summary>
public sealed record Checksum(HashAlgorithmName Algorithm, string Hex)
{
    public static Checksum Md5(string hex) => new(HashAlgorithmName.MD5, hex.ToLowerInvariant());
    public static Checksum Sha256(string hex) => new(HashAlgorithmName.SHA256, hex.ToLowerInvariant());
    public override string ToString() => $"{Algorithm.Name?.ToLowerInvariant()} {Hex}";
}

/// <summary>One file to fetch: its name under the dataset's base URL, and its checksum.</summary>
/// <param name="IsTarGz">True for an archive that is unpacked after verification (CIFAR).</param>
public sealed record RemoteFile(string FileName, Checksum Checksum, bool IsTarGz = false);

/// <summary>Everything TrainKit knows about a public image dataset: shape, classes, statistics, where
/// its files are and what they are called.</summary>
/// <param name="Name">The name used on the command line and as the cache folder.</param>
/// <param name="Subfolder">Folder inside the dataset root that holds the files after extraction
/// (CIFAR archives unpack into one); empty when the files sit directly in the root.</param>
public sealed record DatasetInfo(
    string Name,
    DatasetFormat Format,
    int Channels,
    int ImageSize,
    IReadOnlyList<string> ClassNames,
    ChannelStats Stats,
    Uri DownloadBase,
    IReadOnlyList<RemoteFile> RemoteFiles,
    string Subfolder = "")
{
    public int NumClasses => ClassNames.Count;

    /// <summary>File names that must exist for a split to be loadable (gzip names for idx; a raw
    /// idx file without the .gz suffix is accepted too, see <see cref="IdxImageFolder"/>).</summary>
    public IReadOnlyList<string> RequiredFiles(DatasetSplit split) => Format switch
    {
        DatasetFormat.Idx => split == DatasetSplit.Train
            ? ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"]
            : ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"],
        DatasetFormat.Cifar10Binary => split == DatasetSplit.Train
            ? [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")]
            : ["test_batch.bin"],
        DatasetFormat.Cifar100Binary => split == DatasetSplit.Train ? ["train.bin"] : ["test.bin"],
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };
}
