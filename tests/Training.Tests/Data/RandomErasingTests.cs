using TorchSharp;
using TrainKit.Training.Config;
using TrainKit.Training.Data;
using static TorchSharp.torch;

namespace TrainKit.Training.Tests.Data;

/// <summary>Batched random erasing (Zhong et al. 2020) with torchvision RandomErasing's parameters.</summary>
public class RandomErasingTests
{
    static readonly ChannelStats Cifar = KnownDatasets.Cifar10.Stats;

    static Tensor RandomImages(long n, ulong seed)
    {
        using var generator = new Generator(seed);
        return randint(0, 256, [n, 3, 32, 32], ScalarType.Byte, generator: generator);
    }

    [Fact]
    public void Erase_zeroes_exactly_the_drawn_rectangle_of_the_images_drawn_for_it()
    {
        using var scope = NewDisposeScope();
        var images = ones(2, 3, 6, 8);
        var draw = new ErasingDraw(tensor(new[] { true, false }), tensor(new long[] { 1, 0 }), tensor(new long[] { 2, 0 }),
            tensor(new long[] { 3, 6 }), tensor(new long[] { 4, 8 }));
        var erased = BatchAugmenter.Erase(images, draw);
        var first = erased[0, 0];
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 8; x++)
                Assert.Equal(y is >= 1 and < 4 && x is >= 2 and < 6 ? 0f : 1f, first[y, x].item<float>());
        Assert.Equal(0f, erased[0].sum().item<float>() - erased[0, 1].sum().item<float>() * 3);   // every channel alike
        Assert.Equal(2 * 3 * 6 * 8 - 3 * 3 * 4, erased.sum().item<float>());                     // the second image untouched
    }

    [Fact]
    public void The_draws_follow_torchvisions_area_aspect_and_probability()
    {
        using var scope = NewDisposeScope();
        using var always = new BatchAugmenter(Cifar, new AugmentationOptions(4, true, RandomErasing: 1.0), seed: 3);
        using var draw = always.DrawErasing(4000, 32, 32);
        var applied = draw.Apply;
        double rate = applied.to(ScalarType.Float64).mean().item<double>();
        Assert.InRange(rate, 0.97, 1.0);   // only rows where none of 10 tries fits stay unerased (rare at 32×32)
        var h = draw.Height.masked_select(applied).to(ScalarType.Float64);
        var w = draw.Width.masked_select(applied).to(ScalarType.Float64);
        var area = h * w / (32 * 32);
        Assert.InRange(area.min().item<double>(), 0.01, 0.03);           // 2 % of 1,024 px, up to rounding of h and w
        Assert.InRange(area.max().item<double>(), 0.30, 0.37);           // 33 %, up to rounding
        Assert.True(h.max().item<double>() < 32 && w.max().item<double>() < 32);
        var top = draw.Top.masked_select(applied);
        var left = draw.Left.masked_select(applied);
        Assert.True((top.to(ScalarType.Float64) + h).le(32).all().item<bool>() && (left.to(ScalarType.Float64) + w).le(32).all().item<bool>());
        Assert.Equal(0, top.min().item<long>());

        using var quarter = new BatchAugmenter(Cifar, new AugmentationOptions(4, true, RandomErasing: 0.25), seed: 4);
        using var some = quarter.DrawErasing(20_000, 32, 32);
        Assert.InRange(some.Apply.to(ScalarType.Float64).mean().item<double>(), 0.235, 0.255);   // 4σ ≈ 0.012, less a few no-fits
    }

    [Fact]
    public void Without_erasing_the_training_images_are_those_of_before_and_with_it_a_share_is_erased()
    {
        using var scope = NewDisposeScope();
        var images = RandomImages(256, 5);
        using var plain = new BatchAugmenter(Cifar, new AugmentationOptions(4, true), seed: 9);
        using var reference = new BatchAugmenter(Cifar, new AugmentationOptions(4, true), seed: 9);
        using var erasing = new BatchAugmenter(Cifar, new AugmentationOptions(4, true, RandomErasing: 0.5), seed: 9);
        var before = plain.Augment(images);
        using (var draw = reference.Draw(256)) Assert.True(before.eq(reference.Apply(images, draw)).all().item<bool>());
        var after = erasing.Augment(images);
        // Same crop and flip (erasing draws afterwards), then about half of the images carry a zero rectangle.
        var changed = after.ne(before).flatten(1).any(1);
        Assert.True(after.masked_select(after.ne(before)).eq(0).all().item<bool>());
        Assert.InRange(changed.to(ScalarType.Float64).mean().item<double>(), 0.35, 0.65);
        using var again = new BatchAugmenter(Cifar, new AugmentationOptions(4, true, RandomErasing: 0.5), seed: 9);
        Assert.True(after.eq(again.Augment(images)).all().item<bool>());   // seeded: a pure function of (seed, step)
    }

    [Fact]
    public void The_config_key_is_checked_and_absent_unless_set()
    {
        Assert.Contains("data.random_erasing", Assert.Throws<ArgumentException>(() =>
            RunConfigValidator.Validate(new RunConfig { Data = new DataConfig { RandomErasing = 1.5 } })).Message);
        Assert.DoesNotContain("random_erasing", RunConfigJson.Serialize(new RunConfig()));
        Assert.Equal(0.25, RunConfigJson.Parse("""{"data": {"random_erasing": 0.25}}""").Data.RandomErasing);
    }
}
