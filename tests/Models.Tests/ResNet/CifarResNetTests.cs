using TorchSharp;
using TrainKit.Models.ResNet;
using static TorchSharp.torch;

namespace TrainKit.Models.Tests.ResNet;

public class CifarResNetTests
{
    // Exact counts for option A with 10 classes. They match He et al. 2016a, Table 6 (0.27M, 0.46M,
    // 0.66M, 0.85M, 1.7M): each extra block per stage adds 2·(16²·9+32) + 2·(32²·9+64) + 2·(64²·9+128) = 97,216.
    [Theory]
    [InlineData(20, 269_722)]
    [InlineData(32, 464_154)]
    [InlineData(44, 658_586)]
    [InlineData(56, 853_018)]
    [InlineData(110, 1_727_962)]
    public void Parameter_counts_match_the_paper(int depth, long expected)
    {
        using var model = new CifarResNet(new CifarResNetConfig(depth));
        Assert.Equal(expected, ModelAssert.ParameterCount(model));
    }

    [Fact]
    public void Option_B_adds_exactly_the_two_projections()
    {
        using var optionB = new CifarResNet(new CifarResNetConfig(20, Shortcut: ShortcutKind.Projection));
        // 1×1 conv 16→32 + BN(32), 1×1 conv 32→64 + BN(64).
        Assert.Equal(269_722 + (16 * 32 + 64) + (32 * 64 + 128), ModelAssert.ParameterCount(optionB));
    }

    [Theory]
    [InlineData(ShortcutKind.ZeroPadIdentity)]
    [InlineData(ShortcutKind.Projection)]
    public void Grayscale_28x28_with_a_narrow_width_runs_forward_and_backward(ShortcutKind shortcut)
    {
        using var scope = NewDisposeScope();
        using var model = new CifarResNet(new CifarResNetConfig(20, InChannels: 1, ImageSize: 28, NumClasses: 10, WidthMultiplier: 0.25, Shortcut: shortcut));
        Assert.Equal(new[] { 4, 8, 16 }, model.Config.StageWidths);
        Tensor logits = model.forward(randn(3, 1, 28, 28));
        Assert.Equal(new long[] { 3, 10 }, logits.shape);
        nn.functional.cross_entropy(logits, tensor(new long[] { 0, 1, 2 })).backward();
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void Same_seed_gives_identical_weights_and_another_seed_does_not()
    {
        using var a = new CifarResNet(new CifarResNetConfig(20, WidthMultiplier: 0.5, Seed: 7));
        randn(100); // moving the global RNG must not matter
        using var b = new CifarResNet(new CifarResNetConfig(20, WidthMultiplier: 0.5, Seed: 7));
        using var c = new CifarResNet(new CifarResNetConfig(20, WidthMultiplier: 0.5, Seed: 8));
        Assert.True(ModelAssert.SameWeights(a, b));
        Assert.False(ModelAssert.SameWeights(a, c));
    }

    [Fact]
    public void Convolutions_get_He_init_and_batchnorm_starts_at_identity()
    {
        using var model = new CifarResNet(new CifarResNetConfig(56, Seed: 1));
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        // Last-stage 3×3 conv: fan_out = 64·9, so std = sqrt(2/576) ≈ 0.0589 (36,864 samples).
        Tensor conv = parameters.First(p => p.Key.Contains("stage3_block9") && p.Key.EndsWith("conv2.weight")).Value;
        Assert.InRange(conv.std().item<float>(), 0.057, 0.061);
        Assert.All(parameters.Where(p => p.Key.Contains("bn") && p.Key.EndsWith("weight")), p => Assert.True(p.Value.eq(1).all().item<bool>()));
    }

    [Fact]
    public void Wrong_inputs_are_rejected_in_managed_code()
    {
        using var model = new CifarResNet(new CifarResNetConfig(20, WidthMultiplier: 0.25));
        Assert.Contains("[N, 3, 32, 32]", Assert.Throws<ArgumentException>(() => model.forward(zeros(2, 1, 32, 32))).Message);
        Assert.Throws<ArgumentException>(() => model.forward(zeros(2, 3, 28, 28)));
        Assert.Throws<ArgumentException>(() => model.forward(zeros(3, 32, 32)));
        Assert.Contains("dtype", Assert.Throws<ArgumentException>(() => model.forward(zeros(2, 3, 32, 32, dtype: ScalarType.Byte))).Message);
    }

    [Theory]
    [InlineData(18)]
    [InlineData(2)]
    [InlineData(21)]
    public void Depths_that_are_not_6n_plus_2_are_rejected(int depth) =>
        Assert.Contains("6n+2", Assert.Throws<ArgumentException>(() => new CifarResNet(new CifarResNetConfig(depth))).Message);
}
