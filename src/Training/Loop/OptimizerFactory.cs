using TorchSharp;
using TorchSharp.Modules;
using TrainKit.Training.Config;
using static TorchSharp.torch;

namespace TrainKit.Training.Loop;

/// <summary>Builds the run's optimizer with two parameter groups, nanoGPT style: matrices and conv
/// kernels (dim ≥ 2) decay; biases and normalization parameters (dim &lt; 2) do not, unless configured.</summary>
public static class OptimizerFactory
{
    public static OptimizerHelper Create(OptimizerConfig c, nn.Module model)
    {
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        if (parameters.Count == 0) throw new ArgumentException("the model has no trainable parameters");
        var decay = parameters.Where(p => c.DecayNormAndBias || p.dim() >= 2).ToList();
        var noDecay = parameters.Where(p => !(c.DecayNormAndBias || p.dim() >= 2)).ToList();
        return c.Name switch
        {
            OptimizerKind.Sgd => optim.SGD(Groups(decay, noDecay, wd => new SGD.ParamGroup(wd.Params, new SGD.Options { weight_decay = wd.Decay })),
                c.Lr, c.Momentum, 0, c.WeightDecay, c.Nesterov),
            OptimizerKind.Adam => optim.Adam(Groups(decay, noDecay, wd => new Adam.ParamGroup(wd.Params, new Adam.Options { weight_decay = wd.Decay })),
                c.Lr, c.Beta1, c.Beta2, c.Eps, c.WeightDecay),
            OptimizerKind.AdamW => optim.AdamW(Groups(decay, noDecay, wd => new AdamW.ParamGroup(wd.Params, new AdamW.Options { weight_decay = wd.Decay })),
                c.Lr, c.Beta1, c.Beta2, c.Eps, c.WeightDecay),
        };

        IEnumerable<T> Groups<T>(List<Parameter> withDecay, List<Parameter> without, Func<(List<Parameter> Params, double Decay), T> make)
        {
            if (withDecay.Count > 0) yield return make((withDecay, c.WeightDecay));
            if (without.Count > 0) yield return make((without, 0.0));
        }
    }
}
