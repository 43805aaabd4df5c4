namespace TrainKit.Models.ResNet;

/// <summary>A CIFAR ResNet of depth 6n+2 (He et al. 2016a, §4.2): 20, 32, 44, 56, 110, ….</summary>
/// <param name="Depth">6n+2 weighted layers: n basic blocks per stage.</param>
/// <param name="InChannels">3 for CIFAR, 1 for (Fashion-)MNIST.</param>
/// <param name="ImageSize">Square input side; 32 for CIFAR, 28 for MNIST. Any size ≥ 4 works: the
/// two stride-2 stages give ceil(ceil(s/2)/2) before the global average pool.</param>
/// <param name="WidthMultiplier">Scales the paper's 16/32/64 filters (1.0 = the paper), for quick CPU runs.</param>
/// <param name="Shortcut">Option A (paper default for CIFAR) or option B.</param>
/// <param name="Seed">Weight-initialisation seed: same seed, identical weights.</param>
public sealed record CifarResNetConfig(
    int Depth = 20,
    int InChannels = 3,
    int ImageSize = 32,
    int NumClasses = 10,
    double WidthMultiplier = 1.0,
    ShortcutKind Shortcut = ShortcutKind.ZeroPadIdentity,
    long Seed = 0)
{
    public static readonly int[] PaperWidths = [16, 32, 64];

    public int BlocksPerStage => (Depth - 2) / 6;

    /// <summary>Filters per stage after the width multiplier (at least 1).</summary>
    public int[] StageWidths => PaperWidths.Select(w => Math.Max(1, (int)Math.Round(w * WidthMultiplier))).ToArray();

    public void Validate()
    {
        if (Depth < 8 || (Depth - 2) % 6 != 0)
            throw new ArgumentException($"CIFAR ResNet depth must be 6n+2 with n >= 1 (20, 32, 44, 56, 110, ...), got {Depth}");
        if (InChannels < 1) throw new ArgumentException($"InChannels must be >= 1, got {InChannels}");
        if (ImageSize < 4) throw new ArgumentException($"ImageSize must be >= 4, got {ImageSize}");
        if (NumClasses < 2) throw new ArgumentException($"NumClasses must be >= 2, got {NumClasses}");
        if (!(WidthMultiplier > 0) || double.IsInfinity(WidthMultiplier))
            throw new ArgumentException($"WidthMultiplier must be a positive number, got {WidthMultiplier}");
    }
}
