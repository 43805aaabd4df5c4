using TrainKit.Models.ResNet;

namespace TrainKit.Models;

/// <summary>An image classifier described by a typed record, e.g. from a run's config file.</summary>
/// <param name="Name">"resnet20", "resnet32", "resnet44", "resnet56", "resnet110" (any "resnet{6n+2}")
/// or "preact-resnet18".</param>
/// <param name="Width">Width multiplier (1.0 = the paper).</param>
/// <param name="Shortcut">CIFAR ResNets only: option A (default) or B.</param>
public sealed record ModelSpec(
    string Name,
    int InChannels = 3,
    int ImageSize = 32,
    int NumClasses = 10,
    double Width = 1.0,
    ShortcutKind Shortcut = ShortcutKind.ZeroPadIdentity,
    long Seed = 0);
