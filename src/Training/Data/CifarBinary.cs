using System.Text;
using TrainKit.IO;

namespace TrainKit.Training.Data;

/// <summary>Reads the CIFAR-10 / CIFAR-100 binary version. Each file is a sequence of fixed-size
/// records: the label byte(s) (CIFAR-10: one; CIFAR-100: coarse then fine) followed by 3072 pixel bytes,
/// the 1024-byte R, G and B planes of a 32×32 image in row-major order — already CHW.</summary>
public static class CifarBinary
{
    public const int ImageBytes = 3 * 32 * 32;

    public static int LabelBytes(DatasetFormat format) => format switch
    {
        DatasetFormat.Cifar10Binary => 1,
        DatasetFormat.Cifar100Binary => 2,
        _ => throw new ArgumentException($"{format} is not a CIFAR binary format"),
    };

    /// <summary>The folder that holds the .bin files: the root itself or its archive subfolder.</summary>
    public static string? FindFolder(string root, DatasetSplit split, DatasetInfo info)
    {
        foreach (string folder in new[] { Path.Combine(root, info.Subfolder), root })
            if (info.RequiredFiles(split).All(f => File.Exists(Path.Combine(folder, f))))
                return folder;
        return null;
    }

    public static ImageDataset Load(string root, DatasetSplit split, DatasetInfo info)
    {
        string folder = FindFolder(root, split, info)
            ?? throw new FileNotFoundException(
                $"{info.Name} {split.ToString().ToLowerInvariant()} files ({string.Join(", ", info.RequiredFiles(split))}) not found in {root} or {Path.Combine(root, info.Subfolder)}",
                Path.Combine(root, info.Subfolder, info.RequiredFiles(split)[0]));
        IReadOnlyList<string> classNames = ReadClassNames(folder, info);
        var (pixels, labels) = ReadRecords(info.RequiredFiles(split).Select(f => Path.Combine(folder, f)).ToList(), info.Format, classNames.Count);
        return ImageDataset.FromBytes(info.Name, folder, pixels, labels, 3, 32, 32, classNames, info.Stats);
    }

    /// <summary>Reads and validates the records of <paramref name="files"/>, in order. Each file must hold
    /// a whole number of records and every label must be below <paramref name="numClasses"/>.</summary>
    public static (byte[] Pixels, byte[] Labels) ReadRecords(IReadOnlyList<string> files, DatasetFormat format, int numClasses)
    {
        int labelBytes = LabelBytes(format);
        int recordBytes = labelBytes + ImageBytes;
        long total = 0;
        foreach (string file in files)
        {
            long length = InputFile.RequireRegular(file, "CIFAR batch file").Length;
            if (length % recordBytes != 0)
                throw new InvalidDataException(
                    $"{file}: {length} bytes is not a whole number of {recordBytes}-byte records ({labelBytes} label byte(s) + {ImageBytes} pixels)" +
                    (length % recordBytes != 0 ? $"; the last record is cut off after {length % recordBytes} bytes (truncated?)" : ""));
            total += length / recordBytes;
        }

        var pixels = new byte[total * ImageBytes];
        var labels = new byte[total];
        long record = 0;
        var buffer = new byte[recordBytes];
        foreach (string file in files)
        {
            using var stream = new BufferedStream(File.OpenRead(file), 1 << 20);
            for (long inFile = 0; stream.Position < stream.Length; inFile++, record++)
            {
                stream.ReadExactly(buffer);
                byte label = buffer[labelBytes - 1]; // CIFAR-100: the fine label is the second byte
                if (label >= numClasses)
                    throw new InvalidDataException($"{file}: record {inFile} has label {label}, outside the {numClasses} classes (0..{numClasses - 1})");
                labels[record] = label;
                buffer.AsSpan(labelBytes).CopyTo(pixels.AsSpan(checked((int)(record * ImageBytes)), ImageBytes));
            }
        }
        return (pixels, labels);
    }

    /// <summary>CIFAR archives ship their class names (batches.meta.txt, fine_label_names.txt); use them
    /// when they are present and complete, else the built-in list.</summary>
    static IReadOnlyList<string> ReadClassNames(string folder, DatasetInfo info)
    {
        string file = Path.Combine(folder, info.Format == DatasetFormat.Cifar10Binary ? "batches.meta.txt" : "fine_label_names.txt");
        if (!File.Exists(file)) return info.ClassNames;
        var names = File.ReadAllLines(file, Encoding.UTF8).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return names.Count == info.NumClasses ? names : info.ClassNames;
    }
}
