using TorchSharp;
using static TorchSharp.torch;

namespace TrainKit.Training.Data;

/// <summary>A whole split of an image dataset in memory: one uint8 tensor [N, C, H, W] of raw pixels
/// and one int64 tensor [N] of labels, plus the class names and the per-channel statistics that the
/// augmentation step normalises with. Keeping pixels as uint8 (4× smaller than float) lets the whole
/// split sit on the training device; batches are cut with index_select and turned into floats there.</summary>
public sealed class ImageDataset : IDisposable
{
    public string Name { get; }
    /// <summary>Where the data came from (a folder, "embedded", ...), for logs and reports.</summary>
    public string Source { get; }
    public Tensor Images { get; }
    public Tensor Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public ChannelStats Stats { get; }

    public int Count => (int)Images.shape[0];
    public int Channels => (int)Images.shape[1];
    public int Height => (int)Images.shape[2];
    public int Width => (int)Images.shape[3];
    public int NumClasses => ClassNames.Count;

    ImageDataset(string name, string source, Tensor images, Tensor labels, IReadOnlyList<string> classNames, ChannelStats stats)
    {
        Name = name;
        Source = source;
        Images = images;
        Labels = labels;
        ClassNames = classNames;
        Stats = stats;
    }

    /// <summary>Builds a dataset from raw bytes, checking everything in managed code first: the pixel
    /// count against N·C·H·W, the label count against N, every label against the class list.</summary>
    /// <param name="pixels">N images, each C planes of H rows of W bytes (CHW order).</param>
    /// <param name="labels">N class indices.</param>
    /// <param name="origin">Named in error messages (usually the file the bytes came from).</param>
    public static ImageDataset FromBytes(
        string name, string origin, byte[] pixels, byte[] labels, int channels, int height, int width,
        IReadOnlyList<string> classNames, ChannelStats stats)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        stats.Validate();
        if (channels < 1 || height < 1 || width < 1)
            throw new ArgumentException($"{origin}: image shape {channels}x{height}x{width} is not valid");
        if (stats.Channels != channels)
            throw new ArgumentException($"{origin}: {stats.Channels} channel statistics for {channels}-channel images");
        if (classNames.Count < 1)
            throw new ArgumentException($"{origin}: a dataset needs at least one class name");
        long imageSize = (long)channels * height * width;
        if (labels.Length == 0)
            throw new InvalidDataException($"{origin}: the split holds no images");
        if (pixels.LongLength != labels.LongLength * imageSize)
            throw new InvalidDataException(
                $"{origin}: {labels.Length} labels need {labels.LongLength * imageSize} pixel bytes of {channels}x{height}x{width} images, got {pixels.LongLength}");
        int badIndex = Array.FindIndex(labels, l => l >= classNames.Count);
        if (badIndex >= 0)
            throw new InvalidDataException(
                $"{origin}: label {labels[badIndex]} of image {badIndex} is outside the {classNames.Count} classes (0..{classNames.Count - 1})");

        Tensor images = tensor(pixels, [labels.Length, channels, height, width], ScalarType.Byte);
        Tensor labelTensor = tensor(labels.Select(l => (long)l).ToArray(), ScalarType.Int64);
        return new ImageDataset(name, origin, images.DetachFromDisposeScope(), labelTensor.DetachFromDisposeScope(), classNames, stats);
    }

    /// <summary>The images at <paramref name="indices"/>, in that order (copies).</summary>
    public ImageDataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        foreach (int i in indices)
            if ((uint)i >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {i} is outside the {Count} images of {Name}");
        using var index = tensor(indices.Select(i => (long)i).ToArray(), ScalarType.Int64, Images.device);
        return new ImageDataset(name ?? Name, Source,
            Images.index_select(0, index).DetachFromDisposeScope(),
            Labels.index_select(0, index).DetachFromDisposeScope(), ClassNames, Stats);
    }

    /// <summary>Holds out <paramref name="validationCount"/> images chosen by a seeded permutation:
    /// the same (seed, count) always gives the same two parts, so a resumed run validates on the same images.</summary>
    public (ImageDataset Train, ImageDataset Validation) SplitValidation(int validationCount, long seed)
    {
        if (validationCount < 1 || validationCount >= Count)
            throw new ArgumentOutOfRangeException(nameof(validationCount), $"validation size must be in 1..{Count - 1} for {Count} images, got {validationCount}");
        int[] order = SeededPermutation.Create(Count, seed, stream: 0x5EED_5A11);
        var validation = order[..validationCount].Order().ToArray();
        var train = order[validationCount..].Order().ToArray();
        return (Subset(train, Name), Subset(validation, Name + "/validation"));
    }

    /// <summary>Moves the pixels and labels to <paramref name="device"/> (e.g. the GPU) once, so batches
    /// and augmentation never cross the bus.</summary>
    public ImageDataset To(Device device) =>
        new(Name, Source, Images.to(device).DetachFromDisposeScope(), Labels.to(device).DetachFromDisposeScope(), ClassNames, Stats);

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
