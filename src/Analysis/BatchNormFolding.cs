using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>
/// BatchNorm folded into the layer before it, as Jiang et al. (2020) do before measuring PAC-Bayes flatness: in eval
/// mode BN(Wx + b) = s⊙(Wx + b − μ) + β with s = γ/√(var + ε), which is the layer W' = s⊙W (per output channel) followed
/// by the bias b' = s⊙(b − μ) + β. The folded weights replace W; the bias lives in the BatchNorm, which becomes a pure
/// shift (γ = 1, μ = 0, var = 1 − ε); the layer's own bias is zeroed. The noise mask excludes what is no longer a weight
/// of the folded network (the BN scale γ = 1 and the zeroed layer bias).
/// <para>Pairs: a BatchNorm named "…bnK" with its sibling "…convK" (ResNet blocks: conv1, bn1, …, shortcut conv/bn),
/// "xNorm" with its sibling "x" (the CIFAR ResNet's stem / stemNorm),
/// or with the previous child of a Sequential. A BatchNorm before its convolution (pre-activation blocks) cannot be
/// folded and is left as it is (its γ and β are then perturbed like any weight); <see cref="Folded"/> and
/// <see cref="BatchNorms"/> say how many were folded. Disposing restores the model's state exactly.</para>
/// </summary>
public sealed class BatchNormFolding : IDisposable
{
    readonly nn.Module _model;
    readonly ModelState _original;

    BatchNormFolding(nn.Module model, ModelState original, Tensor mask, int folded, int batchNorms)
    {
        _model = model;
        _original = original;
        NoiseMask = mask;
        Folded = folded;
        BatchNorms = batchNorms;
    }

    /// <summary>1 for weights of the folded network, 0 for parameters folding made constant (flat, in layout order).</summary>
    public Tensor NoiseMask { get; }
    public int Folded { get; }
    public int BatchNorms { get; }

    public static BatchNormFolding Fold(nn.Module model, ParameterLayout layout)
    {
        var original = ModelState.Capture(model);
        var named = model.named_modules().ToDictionary(kv => kv.name, kv => kv.module);
        var constant = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        int folded = 0, batchNorms = 0;
        using (no_grad())
        {
            foreach (var (name, module) in named)
            {
                if (module is not (BatchNorm1d or BatchNorm2d)) continue;
                batchNorms++;
                var bn = (NormBase)module;
                var layer = Partner(name, named);
                Tensor? weight = layer switch { Conv2d c => c.weight, Linear l => l.weight, _ => null };
                if (weight is null || bn.running_mean is null || bn.running_var is null || bn.weight is null || bn.bias is null
                    || weight.shape[0] != bn.running_mean.shape[0]) continue;
                Tensor? layerBias = layer switch { Conv2d c => c.bias, Linear l => l.bias, _ => null };
                var scale = bn.weight.div(bn.running_var.add(bn.eps).sqrt());
                var shape = new long[weight.dim()];
                Array.Fill(shape, 1L);
                shape[0] = -1;
                weight.mul_(scale.reshape(shape));
                var bias = (layerBias is null ? -bn.running_mean : layerBias - bn.running_mean).mul(scale).add(bn.bias);
                bn.bias.copy_(bias);
                bn.weight.fill_(1);
                bn.running_mean.zero_();
                bn.running_var.fill_(1 - bn.eps);
                constant.Add(bn.weight);
                if (layerBias is not null) { layerBias.zero_(); constant.Add(layerBias); }
                folded++;
            }
        }
        var parts = layout.Parameters.Select(p => constant.Contains(p) ? zeros_like(p) : ones_like(p)).ToArray();
        var mask = layout.Flatten(parts);
        foreach (var p in parts) p.Dispose();
        return new BatchNormFolding(model, original, mask.DetachFromDisposeScope(), folded, batchNorms);
    }

    static nn.Module? Partner(string name, Dictionary<string, nn.Module> named)
    {
        int dot = name.LastIndexOf('.');
        string parent = dot < 0 ? "" : name[..(dot + 1)];
        string last = name[(dot + 1)..];
        if (last.Contains("bn") && named.TryGetValue(parent + last.Replace("bn", "conv"), out var conv)) return conv;
        if (last.EndsWith("Norm") && named.TryGetValue(parent + last[..^4], out var normed)) return normed;   // stem / stemNorm
        if (int.TryParse(last, out int index) && index > 0 && named.TryGetValue(parent + (index - 1), out var previous)) return previous;
        return null;
    }

    public void Dispose()
    {
        _original.LoadInto(_model);
        _original.Dispose();
        NoiseMask.Dispose();
    }
}
