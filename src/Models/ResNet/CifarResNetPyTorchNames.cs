using System.Globalization;
using System.Text.RegularExpressions;

namespace TrainKit.Models.ResNet;

/// <summary>
/// State-dict names of <see cref="CifarResNet"/> as PyTorch users of the CIFAR ResNets know them: the layout of
/// akamaster/pytorch_resnet_cifar10 (the usual PyTorch port of He et al. 2016a §4.2), which torchvision's ImageNet
/// ResNets share except for the classifier. <c>conv1</c>/<c>bn1</c> for the stem, <c>layer{1,2,3}.{i}.conv1</c> ...
/// <c>bn2</c> for the blocks (0-based i), <c>layer{s}.{i}.shortcut.0</c> (conv) / <c>.shortcut.1</c> (BatchNorm) for an
/// option-B projection, and <c>linear</c> (akamaster's name; torchvision says <c>fc</c>) for the classifier.
/// BatchNorm buffers keep PyTorch's leaf names (running_mean, running_var, num_batches_tracked).
/// </summary>
public static partial class CifarResNetPyTorchNames
{
    /// <summary>The PyTorch name of one of <see cref="CifarResNet"/>'s state-dict keys; a key this map does not know
    /// throws, so a model change that forgets the map fails every export instead of writing a file nobody can load.</summary>
    public static string ToPyTorch(string key)
    {
        if (key == "stem.weight") return "conv1.weight";
        if (Leaf(key, "stemNorm.") is string stemNorm && IsBatchNormLeaf(stemNorm)) return "bn1." + stemNorm;
        if (Leaf(key, "classifier.") is string head && head is "weight" or "bias") return "linear." + head;
        Match block = BlockKey().Match(key);
        if (block.Success && BlockLeaf(block.Groups["leaf"].Value) is string leaf)
        {
            int index = int.Parse(block.Groups["block"].Value, CultureInfo.InvariantCulture) - 1;
            return $"layer{block.Groups["stage"].Value}.{index}.{leaf}";
        }
        throw new KeyNotFoundException($"CIFAR ResNet state-dict key '{key}' has no PyTorch name (CifarResNetPyTorchNames)");
    }

    static string? BlockLeaf(string leaf)
    {
        if (leaf is "conv1.weight" or "conv2.weight" or "projection.conv.weight")
            return leaf == "projection.conv.weight" ? "shortcut.0.weight" : leaf;
        foreach (var (ours, theirs) in new[] { ("bn1.", "bn1."), ("bn2.", "bn2."), ("projection.bn.", "shortcut.1.") })
            if (Leaf(leaf, ours) is string rest && IsBatchNormLeaf(rest)) return theirs + rest;
        return null;
    }

    static string? Leaf(string key, string prefix) => key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : null;

    static bool IsBatchNormLeaf(string leaf) => leaf is "weight" or "bias" or "running_mean" or "running_var" or "num_batches_tracked";

    // CifarResNet names its blocks stage{s}_block{b} (1-based) inside the `stages` Sequential.
    [GeneratedRegex(@"^stages\.stage(?<stage>[1-3])_block(?<block>[1-9][0-9]*)\.(?<leaf>.+)$")]
    private static partial Regex BlockKey();
}
