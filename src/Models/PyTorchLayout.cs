using TrainKit.Models.ResNet;
using TrainKit.Models.Transformer;
using static TorchSharp.torch;

namespace TrainKit.Models;

/// <summary>
/// How a model's state dict is named in PyTorch: each of our keys with its PyTorch name (in our state_dict order),
/// plus the PyTorch keys that repeat a tied tensor. The names live in one file per family
/// (<see cref="CifarResNetPyTorchNames"/>, <see cref="GptPyTorchNames"/>); this only picks the family.
/// </summary>
/// <param name="Keys">Every parameter and buffer of the model: our key and its PyTorch name.</param>
/// <param name="TiedCopies">PyTorch keys that hold a copy of another PyTorch key (GPT's lm_head).</param>
public sealed record PyTorchLayout(IReadOnlyList<(string Ours, string PyTorch)> Keys, IReadOnlyList<(string Copy, string Of)> TiedCopies)
{
    /// <summary>Whether models of <paramref name="family"/> have a PyTorch name map (so export and init_from work).</summary>
    public static bool Supports(ModelFamily family) => family is ModelFamily.CifarResNet or ModelFamily.Gpt;

    /// <summary>The refusal for a model without a map, naming it and the models that have one.</summary>
    public static string Unsupported(string model) =>
        $"model '{model}' has no PyTorch key map: export and model.init_from support the CIFAR ResNets (resnet{{6n+2}}) and gpt";

    /// <summary>The layout of <paramref name="model"/>; models without a PyTorch name map are refused by name, and a
    /// key the family's map does not know throws (<see cref="KeyNotFoundException"/>).</summary>
    public static PyTorchLayout Of(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (name, tied) = model switch
        {
            CifarResNet => (CifarResNetPyTorchNames.ToPyTorch, (IReadOnlyList<(string, string)>)[]),
            Gpt => ((Func<string, string>)GptPyTorchNames.ToPyTorch, GptPyTorchNames.TiedCopies),
            _ => throw new ArgumentException(Unsupported(model.GetName())),
        };
        var keys = model.state_dict().Keys.Select(key => (key, name(key))).ToList();
        var duplicate = keys.GroupBy(k => k.Item2).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"PyTorch name '{duplicate.Key}' is given to {string.Join(" and ", duplicate.Select(k => k.key))}");
        return new PyTorchLayout(keys, tied);
    }
}
