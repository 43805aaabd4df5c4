using TorchSharp;
using TrainKit.Training.Data;
using static TorchSharp.torch;

namespace TrainKit.Training.Tests.Data;

public class BatchAugmenterTests
{
    static readonly ChannelStats Cifar = KnownDatasets.Cifar10.Stats;

    static Tensor RandomImages(long n, long c, long h, long w, ulong seed)
    {
        using var generator = new Generator(seed);
        return randint(0, 256, [n, c, h, w], ScalarType.Byte, generator: generator);
    }

    [Fact]
    public void Output_is_float32_with_the_input_shape()
    {
        using var scope = NewDisposeScope();
        using var augmenter = new BatchAugmenter(Cifar, new AugmentationOptions(4, true), seed: 1);
        Tensor output = augmenter.Augment(RandomImages(128, 3, 32, 32, 1));
        Assert.Equal(new long[] { 128, 3, 32, 32 }, output.shape);
        Assert.Equal(ScalarType.Float32, output.dtype);
    }

    [Fact]
    public void Flip_rate_is_one_half_and_crop_offsets_stay_within_the_padding()
    {
        using var scope = NewDisposeScope();
        using var augmenter = new BatchAugmenter(Cifar, new AugmentationOptions(4, true), seed: 2);
        using var draw = augmenter.Draw(20_000);
        double flipRate = draw.Flip.to(ScalarType.Float64).mean().item<double>();
        Assert.InRange(flipRate, 0.48, 0.52); // 4σ ≈ 0.014
        foreach (Tensor offsets in new[] { draw.OffsetX, draw.OffsetY })
        {
            Assert.Equal(0, offsets.min().item<long>());
            Assert.Equal(8, offsets.max().item<long>());
            Assert.InRange(offsets.to(ScalarType.Float64).mean().item<double>(), 3.95, 4.05);
            Assert.All(offsets.bincount(null).data<long>().ToArray(), n => Assert.InRange(n, 2_000, 2_450)); // uniform: 2,222 each
        }
        using var noFlip = new BatchAugmenter(Cifar, new AugmentationOptions(2, false), seed: 2);
        using var noFlipDraw = noFlip.Draw(1000);
        Assert.False(noFlipDraw.Flip.any().item<bool>());
        Assert.Equal(4, noFlipDraw.OffsetX.max().item<long>());
    }

    /// <summary>The gather must equal the definition: pad with zeros, crop at the offset, then mirror.
    /// Non-square images catch any height/width mix-up.</summary>
    [Fact]
    public void Crop_and_flip_match_a_pixel_by_pixel_reference()
    {
        using var scope = NewDisposeScope();
        const int n = 16, c = 3, h = 5, w = 7, pad = 2;
        var stats = new ChannelStats([0.1, 0.2, 0.3], [0.5, 0.25, 0.125]);
        using var augmenter = new BatchAugmenter(stats, new AugmentationOptions(pad, true), seed: 3);
        Tensor images = RandomImages(n, c, h, w, 3);
        using var draw = augmenter.Draw(n);
        float[] actual = augmenter.Apply(images, draw).data<float>().ToArray();

        byte[] pixels = images.data<byte>().ToArray();
        long[] oy = draw.OffsetY.data<long>().ToArray(), ox = draw.OffsetX.data<long>().ToArray();
        bool[] flip = draw.Flip.data<bool>().ToArray();
        Assert.Contains(true, flip);
        Assert.Contains(false, flip);
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        int croppedX = flip[b] ? w - 1 - x : x;
                        long sy = oy[b] + y - pad, sx = ox[b] + croppedX - pad;
                        double raw = sy >= 0 && sy < h && sx >= 0 && sx < w ? pixels[((b * c + ch) * h + sy) * w + sx] : 0;
                        double expected = (raw / 255 - stats.Mean[ch]) / stats.Std[ch];
                        Assert.Equal(expected, actual[((b * c + ch) * h + y) * w + x], 4);
                    }
    }

    [Fact]
    public void Normalization_gives_zero_mean_unit_std_for_data_with_those_statistics()
    {
        using var scope = NewDisposeScope();
        Tensor images = RandomImages(512, 3, 8, 8, 4);
        Tensor scaled = images.to(ScalarType.Float64) / 255;
        double[] mean = scaled.mean([0, 2, 3]).data<double>().ToArray();
        double[] std = scaled.std([0, 2, 3], unbiased: false).data<double>().ToArray();
        using var augmenter = new BatchAugmenter(new ChannelStats(mean, std), AugmentationOptions.None, seed: 0);
        Tensor normalized = augmenter.Normalize(images).to(ScalarType.Float64);
        Assert.All(normalized.mean([0, 2, 3]).data<double>().ToArray(), m => Assert.InRange(m, -1e-4, 1e-4));
        Assert.All(normalized.std([0, 2, 3], unbiased: false).data<double>().ToArray(), s => Assert.InRange(s, 1 - 1e-4, 1 + 1e-4));
        // With no padding and no flip, Augment is Normalize.
        Assert.True(augmenter.Augment(images).allclose(augmenter.Normalize(images)));
    }

    [Fact]
    public void Same_seed_reproduces_the_same_sequence_of_batches()
    {
        using var scope = NewDisposeScope();
        Tensor images = RandomImages(64, 1, 28, 28, 5);
        var stats = KnownDatasets.FashionMnist.Stats;
        using var a = new BatchAugmenter(stats, new AugmentationOptions(2, true), seed: 9);
        using var b = new BatchAugmenter(stats, new AugmentationOptions(2, true), seed: 9);
        using var other = new BatchAugmenter(stats, new AugmentationOptions(2, true), seed: 10);
        for (int step = 0; step < 3; step++)
        {
            Tensor fromA = a.Augment(images);
            Assert.True(fromA.equal(b.Augment(images)).all().item<bool>());
            Assert.False(fromA.equal(other.Augment(images)).all().item<bool>());
        }
    }

    [Fact]
    public void Wrong_batches_are_rejected_in_managed_code()
    {
        using var scope = NewDisposeScope();
        using var augmenter = new BatchAugmenter(Cifar, new AugmentationOptions(), seed: 0);
        Assert.Contains("uint8", Assert.Throws<ArgumentException>(() => augmenter.Augment(zeros(2, 3, 32, 32))).Message);
        Assert.Throws<ArgumentException>(() => augmenter.Augment(zeros(2, 1, 32, 32, ScalarType.Byte)));
        Assert.Throws<ArgumentException>(() => augmenter.Augment(zeros(3, 32, 32, ScalarType.Byte)));
        using var draw = augmenter.Draw(3);
        Assert.Throws<ArgumentException>(() => augmenter.Apply(zeros(2, 3, 32, 32, ScalarType.Byte), draw));
    }
}
