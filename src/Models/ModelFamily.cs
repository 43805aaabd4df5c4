using System.Globalization;

namespace TrainKit.Models;

/// <summary>The kinds of model TrainKit builds; a model name (<c>resnet20</c>, <c>gpt</c>, ...) picks one.</summary>
public enum ModelFamily
{
    /// <summary>The CIFAR ResNets of depth 6n+2 (<c>resnet20</c>, <c>resnet32</c>, ...), <see cref="ResNet.CifarResNet"/>.</summary>
    CifarResNet,
    /// <summary><c>preact-resnet18</c>, <see cref="ResNet.PreActResNet18"/>.</summary>
    PreActResNet18,
    /// <summary><c>mlp-tanh</c>, <see cref="TanhMlp"/>.</summary>
    TanhMlp,
    /// <summary><c>gpt</c>, <see cref="Transformer.Gpt"/>.</summary>
    Gpt,
}

/// <summary>How model names map to <see cref="ModelFamily"/>: the one place that reads a name, for the factory and
/// for the run configuration's model block alike.</summary>
public static class ModelNames
{
    /// <summary>The names listed when one is not known (any <c>resnet{6n+2}</c> works as well).</summary>
    public static readonly IReadOnlyList<string> Known =
        ["resnet20", "resnet32", "resnet44", "resnet56", "resnet110", "preact-resnet18", "mlp-tanh", "gpt"];

    /// <summary>Names are read case-insensitively, ignoring surrounding spaces; <c>preact-resnet18</c> may also be
    /// spelled <c>preactresnet18</c> or <c>preact_resnet18</c>. A <c>resnet</c> followed by any depth is a
    /// <see cref="ModelFamily.CifarResNet"/> (the depth is checked where the model is built).</summary>
    public static ModelFamily? FamilyOf(string name) => Normalize(name) switch
    {
        "mlp-tanh" => ModelFamily.TanhMlp,
        "preact-resnet18" or "preactresnet18" or "preact_resnet18" => ModelFamily.PreActResNet18,
        "gpt" => ModelFamily.Gpt,
        _ when CifarResNetDepth(name) is not null => ModelFamily.CifarResNet,
        _ => null,
    };

    /// <summary>The depth a <c>resnet{depth}</c> name asks for, or null for another name.</summary>
    public static int? CifarResNetDepth(string name)
    {
        string normalized = Normalize(name);
        return normalized.StartsWith("resnet", StringComparison.Ordinal) &&
            int.TryParse(normalized.AsSpan("resnet".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int depth)
            ? depth
            : null;
    }

    /// <summary>"unknown model 'x'; known: ..." for a name <see cref="FamilyOf"/> does not know, listing
    /// <paramref name="known"/> (default: <see cref="Known"/>).</summary>
    public static string Unknown(string name, IEnumerable<string>? known = null) =>
        $"unknown model '{name}'; known: {string.Join(", ", known ?? Known)} (any resnet{{6n+2}} works)";

    static string Normalize(string name) => name.Trim().ToLowerInvariant();
}
