using System.Globalization;
using TrainKit.Models.ResNet;
using TrainKit.Models.Transformer;
using static TorchSharp.torch;

namespace TrainKit.Models;

/// <summary>Builds models from their typed specs so the trainer never names a model class.</summary>
public static class ModelFactory
{
    public static readonly IReadOnlyList<string> ImageModelNames =
        ["resnet20", "resnet32", "resnet44", "resnet56", "resnet110", "preact-resnet18", "mlp-tanh"];

    public static nn.Module<Tensor, Tensor> Create(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string name = spec.Name.Trim().ToLowerInvariant();
        if (name == "mlp-tanh")
            return new TanhMlp(spec.InChannels, spec.ImageSize, spec.NumClasses, hidden: (int)Math.Round(200 * spec.Width), seed: spec.Seed);
        if (name is "preact-resnet18" or "preactresnet18" or "preact_resnet18")
            return new PreActResNet18(spec.InChannels, spec.ImageSize, spec.NumClasses, spec.Width, spec.Seed);
        if (name.StartsWith("resnet", StringComparison.Ordinal) &&
            int.TryParse(name.AsSpan("resnet".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int depth))
            return new CifarResNet(new CifarResNetConfig(depth, spec.InChannels, spec.ImageSize, spec.NumClasses, spec.Width, spec.Shortcut, spec.Seed));
        throw new ArgumentException($"unknown model '{spec.Name}'; known: {string.Join(", ", ImageModelNames)} (any resnet{{6n+2}} works)");
    }

    public static Gpt Create(TransformerConfig config) => new(config ?? throw new ArgumentNullException(nameof(config)));
}
