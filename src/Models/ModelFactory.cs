using TrainKit.Models.ResNet;
using TrainKit.Models.Transformer;
using static TorchSharp.torch;

namespace TrainKit.Models;

/// <summary>Builds models from their typed specs so the trainer never names a model class.</summary>
public static class ModelFactory
{
    public static readonly IReadOnlyList<string> ImageModelNames = [.. ModelNames.Known.Where(n => ModelNames.FamilyOf(n) != ModelFamily.Gpt)];

    public static nn.Module<Tensor, Tensor> Create(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ModelNames.FamilyOf(spec.Name) switch
        {
            ModelFamily.TanhMlp => new TanhMlp(spec.InChannels, spec.ImageSize, spec.NumClasses, hidden: (int)Math.Round(200 * spec.Width), seed: spec.Seed),
            ModelFamily.PreActResNet18 => new PreActResNet18(spec.InChannels, spec.ImageSize, spec.NumClasses, spec.Width, spec.Seed),
            ModelFamily.CifarResNet => new CifarResNet(new CifarResNetConfig(ModelNames.CifarResNetDepth(spec.Name)!.Value, spec.InChannels, spec.ImageSize,
                spec.NumClasses, spec.Width, spec.Shortcut, spec.Seed)),
            ModelFamily.Gpt => throw new ArgumentException($"'{spec.Name}' is a language model, not an image classifier: build it from a TransformerConfig"),
            _ => throw new ArgumentException(ModelNames.Unknown(spec.Name, ImageModelNames)),
        };
    }

    public static Gpt Create(TransformerConfig config) => new(config ?? throw new ArgumentNullException(nameof(config)));
}
