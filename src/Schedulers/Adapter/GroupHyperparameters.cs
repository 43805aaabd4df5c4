using TorchSharp.Modules;

namespace TrainKit.Schedulers.Adapter;

/// <summary>
/// Reads and writes a parameter group's weight decay and momentum through <see cref="ParamGroup.Options"/>.
/// TorchSharp has no weight-decay interface, so the supported optimizers are named here: SGD and RMSprop
/// (momentum), Adam and AdamW (beta1 is the "momentum"). Anything else is a clear error, never a silent no-op.
/// </summary>
public static class GroupHyperparameters
{
    public const string Supported = "SGD, Adam, AdamW and RMSprop";

    public static bool SupportsWeightDecay(OptimizerOptions o) => o is SGD.Options or Adam.Options or AdamW.Options or RMSProp.Options;

    public static bool SupportsMomentum(OptimizerOptions o) => SupportsWeightDecay(o);

    public static double? WeightDecay(OptimizerOptions o) => o switch
    {
        SGD.Options s => s.weight_decay,
        Adam.Options a => a.weight_decay,
        AdamW.Options a => a.weight_decay,
        RMSProp.Options r => r.weight_decay,
        _ => null,
    };

    public static void SetWeightDecay(OptimizerOptions o, double value)
    {
        switch (o)
        {
            case SGD.Options s: s.weight_decay = value; break;
            case Adam.Options a: a.weight_decay = value; break;
            case AdamW.Options a: a.weight_decay = value; break;
            case RMSProp.Options r: r.weight_decay = value; break;
            default: throw Unsupported(o, "weight decay");
        }
    }

    /// <summary>SGD/RMSprop momentum or Adam/AdamW beta1.</summary>
    public static double? Momentum(OptimizerOptions o) => o switch
    {
        SGD.Options s => s.momentum,
        Adam.Options a => a.beta1,
        AdamW.Options a => a.beta1,
        RMSProp.Options r => r.momentum,
        _ => null,
    };

    public static void SetMomentum(OptimizerOptions o, double value)
    {
        switch (o)
        {
            case SGD.Options s: s.momentum = value; break;
            case Adam.Options a: a.beta1 = value; break;
            case AdamW.Options a: a.beta1 = value; break;
            case RMSProp.Options r: r.momentum = value; break;
            default: throw Unsupported(o, "momentum");
        }
    }

    public static NotSupportedException Unsupported(OptimizerOptions o, string what) =>
        new($"co-scheduling {what} needs one of {Supported}; this optimizer's parameter groups hold {o.GetType().DeclaringType?.Name ?? o.GetType().Name} options");
}
