using TorchSharp;
using static TorchSharp.torch;

namespace TrainKit.Training.Data;

/// <summary>The random choices for one batch: a crop offset per image (0..2·padding in each axis, in
/// padded coordinates) and whether it is flipped. Kept separate from <see cref="BatchAugmenter.Apply"/>
/// so tests can check the sampling and the pixel arithmetic independently.</summary>
public sealed record AugmentationDraw(Tensor OffsetY, Tensor OffsetX, Tensor Flip) : IDisposable
{
    public void Dispose()
    {
        OffsetY.Dispose();
        OffsetX.Dispose();
        Flip.Dispose();
    }
}

/// <summary>Random erasing for one batch: whether each image is erased and its rectangle (top, left, height, width).</summary>
public sealed record ErasingDraw(Tensor Apply, Tensor Top, Tensor Left, Tensor Height, Tensor Width) : IDisposable
{
    public void Dispose()
    {
        Apply.Dispose();
        Top.Dispose();
        Left.Dispose();
        Height.Dispose();
        Width.Dispose();
    }
}

/// <summary>Augments a whole uint8 batch [B, C, H, W] at once with tensor ops on its device: random
/// crop with zero padding and horizontal flip become one gather (each output pixel reads
/// padded[offsetY + y, offsetX + (flip ? W−1−x : x)]), done on bytes; then one fused
/// convert-and-normalise to float32 ((x/255 − mean)/std). All randomness comes from one seeded
/// <see cref="Generator"/>, so the same seed and the same sequence of batches give the same images.</summary>
public sealed class BatchAugmenter : IDisposable
{
    readonly AugmentationOptions options;
    readonly Generator generator;
    readonly Tensor scale, shift; // [1, C, 1, 1]: x·scale + shift = (x/255 − mean)/std
    readonly int channels;

    public BatchAugmenter(ChannelStats stats, AugmentationOptions options, long seed, Device? device = null)
    {
        stats.Validate();
        if (options.Padding < 0) throw new ArgumentException($"padding must be >= 0, got {options.Padding}");
        this.options = options;
        device ??= CPU;
        channels = stats.Channels;
        generator = new Generator((ulong)seed, device);
        scale = tensor(stats.Std.Select(s => (float)(1.0 / (255.0 * s))).ToArray(), device: device).view(1, -1, 1, 1).DetachFromDisposeScope();
        shift = tensor(stats.Mean.Zip(stats.Std, (m, s) => (float)(-m / s)).ToArray(), device: device).view(1, -1, 1, 1).DetachFromDisposeScope();
    }

    public AugmentationOptions Options => options;

    /// <summary>Random crop + flip + normalise, then random erasing when it is on: the training transform. Erasing
    /// draws after the crop and flip, so a run without it sees exactly the images it saw before erasing existed.</summary>
    public Tensor Augment(Tensor images)
    {
        Validate(images);
        using var draw = Draw(images.shape[0]);
        var augmented = Apply(images, draw);
        if (options.RandomErasing <= 0) return augmented;
        using var erasing = DrawErasing(images.shape[0], images.shape[2], images.shape[3]);
        using (augmented)
            return Erase(augmented, erasing);
    }

    /// <summary>torchvision's RandomErasing draws for a whole batch: whether each image is erased (probability
    /// <see cref="AugmentationOptions.RandomErasing"/>), and its rectangle, from 10 tries of an area of 2–33 % of the
    /// image and a log-uniform aspect ratio in [0.3, 3.3], the first try that fits (none fits: not erased).</summary>
    public ErasingDraw DrawErasing(long batchSize, long height, long width)
    {
        const int Tries = 10;
        Device device = scale.device;
        using var scope = NewDisposeScope();
        var erase = rand([batchSize], ScalarType.Float64, device, generator: generator).lt(options.RandomErasing);
        var area = rand([batchSize, Tries], ScalarType.Float64, device, generator: generator).mul_(0.33 - 0.02).add_(0.02).mul_(height * width);
        var aspect = rand([batchSize, Tries], ScalarType.Float64, device, generator: generator)
            .mul_(Math.Log(3.3) - Math.Log(0.3)).add_(Math.Log(0.3)).exp_();
        var h = (area * aspect).sqrt_().round_().to(ScalarType.Int64);
        var w = (area / aspect).sqrt_().round_().to(ScalarType.Int64);
        var fits = h.lt(height).logical_and_(w.lt(width));
        // The first try that fits (argmax of a bool row picks the first true; a row without one is not erased).
        var chosen = fits.to(ScalarType.Int64).argmax(1, keepdim: true);
        var height1 = h.gather(1, chosen).squeeze(1);
        var width1 = w.gather(1, chosen).squeeze(1);
        var top = rand([batchSize], ScalarType.Float64, device, generator: generator).mul_((height - height1 + 1).to(ScalarType.Float64)).floor_().to(ScalarType.Int64);
        var left = rand([batchSize], ScalarType.Float64, device, generator: generator).mul_((width - width1 + 1).to(ScalarType.Float64)).floor_().to(ScalarType.Int64);
        var apply = erase.logical_and_(fits.any(1));
        return new ErasingDraw(apply.MoveToOuterDisposeScope(), top.MoveToOuterDisposeScope(), left.MoveToOuterDisposeScope(),
            height1.MoveToOuterDisposeScope(), width1.MoveToOuterDisposeScope());
    }

    /// <summary>Sets each chosen rectangle of a normalised batch to 0 (the mean pixel after normalisation).</summary>
    public static Tensor Erase(Tensor normalized, ErasingDraw draw)
    {
        long batch = normalized.shape[0], height = normalized.shape[2], width = normalized.shape[3];
        using var scope = NewDisposeScope();
        Device device = normalized.device;
        var rows = arange(height, ScalarType.Int64, device).view(1, height, 1);
        var columns = arange(width, ScalarType.Int64, device).view(1, 1, width);
        var top = draw.Top.view(batch, 1, 1);
        var left = draw.Left.view(batch, 1, 1);
        var inRows = rows.ge(top).logical_and_(rows.lt(top + draw.Height.view(batch, 1, 1)));               // [B, H, 1]
        var inColumns = columns.ge(left).logical_and_(columns.lt(left + draw.Width.view(batch, 1, 1)));    // [B, 1, W]
        var inside = inRows.logical_and(inColumns).logical_and_(draw.Apply.view(batch, 1, 1));            // [B, H, W]
        return normalized.masked_fill(inside.unsqueeze(1), 0).MoveToOuterDisposeScope();
    }

    /// <summary>Normalise only: the evaluation transform.</summary>
    public Tensor Normalize(Tensor images)
    {
        Validate(images);
        using var scope = NewDisposeScope();
        return images.to(ScalarType.Float32).mul_(scale).add_(shift).MoveToOuterDisposeScope();
    }

    /// <summary>Samples the crop offsets and flips for <paramref name="batchSize"/> images.</summary>
    public AugmentationDraw Draw(long batchSize)
    {
        int range = 2 * options.Padding + 1;
        Device device = scale.device;
        Tensor offsetY = randint(0, range, [batchSize], ScalarType.Int64, device, generator: generator);
        Tensor offsetX = randint(0, range, [batchSize], ScalarType.Int64, device, generator: generator);
        Tensor flip = options.HorizontalFlip
            ? randint(0, 2, [batchSize], ScalarType.Int64, device, generator: generator).to(ScalarType.Bool)
            : zeros(batchSize, ScalarType.Bool, device);
        return new AugmentationDraw(offsetY, offsetX, flip);
    }

    /// <summary>Applies given random choices to a uint8 batch; returns normalised float32 [B, C, H, W].</summary>
    public Tensor Apply(Tensor images, AugmentationDraw draw)
    {
        Validate(images);
        long batch = images.shape[0], height = images.shape[2], width = images.shape[3];
        if (draw.OffsetY.shape[0] != batch || draw.OffsetX.shape[0] != batch || draw.Flip.shape[0] != batch)
            throw new ArgumentException($"the augmentation draw is for {draw.OffsetY.shape[0]} images, the batch has {batch}");
        using var scope = NewDisposeScope();
        int pad = options.Padding;
        Tensor padded = pad > 0 ? nn.functional.pad(images, [pad, pad, pad, pad]) : images;
        long paddedWidth = width + 2 * pad;
        Device device = images.device;

        Tensor rows = arange(height, ScalarType.Int64, device).view(1, height, 1) + draw.OffsetY.view(batch, 1, 1);
        Tensor columns = arange(width, ScalarType.Int64, device).view(1, 1, width);
        columns = where(draw.Flip.view(batch, 1, 1), (width - 1) - columns, columns) + draw.OffsetX.view(batch, 1, 1);
        Tensor flatIndex = (rows * paddedWidth + columns).view(batch, 1, height * width).expand(batch, channels, height * width);
        Tensor cropped = padded.reshape(batch, channels, -1).gather(2, flatIndex).view(batch, channels, height, width);
        return cropped.to(ScalarType.Float32).mul_(scale).add_(shift).MoveToOuterDisposeScope();
    }

    void Validate(Tensor images)
    {
        if (images.Dimensions != 4 || images.dtype != ScalarType.Byte || images.shape[1] != channels)
            throw new ArgumentException(
                $"augmentation expects a uint8 batch [B, {channels}, H, W], got {images.dtype} [{string.Join(", ", images.shape)}]", nameof(images));
        if (images.device_type != scale.device_type || images.device_index != scale.device_index)
            throw new ArgumentException($"the batch is on {images.device} but the augmenter on {scale.device}", nameof(images));
    }

    public void Dispose()
    {
        generator.Dispose();
        scale.Dispose();
        shift.Dispose();
    }
}
