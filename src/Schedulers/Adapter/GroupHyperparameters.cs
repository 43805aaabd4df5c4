using TorchSharp.Modules;

namespace TrainKit.Schedulers.Adapter;

/// <summary>
/// Reads and writes a parameter group's weight decay and momentum through <see cref="ParamGroup.Options"/>.
/// TorchSharp has no weight-decay interface, so every optimizer whose options have the field is named here
/// (TorchSharp 0.107 reads them from the group at every step). Weight decay: SGD, Adam, AdamW, NAdam, RAdam,
/// Adamax, RMSprop, Adagrad, Adadelta, ASGD. Momentum: SGD and RMSprop momentum, beta1 of Adam, AdamW, NAdam,
/// RAdam and Adamax. Anything else (Rprop, LBFGS) is a clear error, never a silent no-op.
/// </summary>
public static class GroupHyperparameters
{
    public const string SupportedWeightDecay = "SGD, Adam, AdamW, NAdam, RAdam, Adamax, RMSprop, Adagrad, Adadelta or ASGD";
    public const string SupportedMomentum = "SGD, RMSprop (momentum) or Adam, AdamW, NAdam, RAdam, Adamax (beta1)";

    public static bool SupportsWeightDecay(OptimizerOptions o) => WeightDecay(o) is not null;

    public static bool SupportsMomentum(OptimizerOptions o) => Momentum(o) is not null;

    public static double? WeightDecay(OptimizerOptions o) => o switch
    {
        SGD.Options s => s.weight_decay,
        Adam.Options a => a.weight_decay,
        AdamW.Options a => a.weight_decay,
        NAdam.Options a => a.weight_decay,
        RAdam.Options a => a.weight_decay,
        Adamax.Options a => a.weight_decay,
        RMSProp.Options r => r.weight_decay,
        Adagrad.Options a => a.weight_decay,
        Adadelta.Options a => a.weight_decay,
        ASGD.Options a => a.weight_decay,
        _ => null,
    };

    public static void SetWeightDecay(OptimizerOptions o, double value)
    {
        switch (o)
        {
            case SGD.Options s: s.weight_decay = value; break;
            case Adam.Options a: a.weight_decay = value; break;
            case AdamW.Options a: a.weight_decay = value; break;
            case NAdam.Options a: a.weight_decay = value; break;
            case RAdam.Options a: a.weight_decay = value; break;
            case Adamax.Options a: a.weight_decay = value; break;
            case RMSProp.Options r: r.weight_decay = value; break;
            case Adagrad.Options a: a.weight_decay = value; break;
            case Adadelta.Options a: a.weight_decay = value; break;
            case ASGD.Options a: a.weight_decay = value; break;
            default: throw Unsupported(o, "weight decay");
        }
    }

    /// <summary>SGD/RMSprop momentum or the Adam family's beta1.</summary>
    public static double? Momentum(OptimizerOptions o) => o switch
    {
        SGD.Options s => s.momentum,
        RMSProp.Options r => r.momentum,
        Adam.Options a => a.beta1,
        AdamW.Options a => a.beta1,
        NAdam.Options a => a.beta1,
        RAdam.Options a => a.beta1,
        Adamax.Options a => a.beta1,
        _ => null,
    };

    public static void SetMomentum(OptimizerOptions o, double value)
    {
        switch (o)
        {
            case SGD.Options s: s.momentum = value; break;
            case RMSProp.Options r: r.momentum = value; break;
            case Adam.Options a: a.beta1 = value; break;
            case AdamW.Options a: a.beta1 = value; break;
            case NAdam.Options a: a.beta1 = value; break;
            case RAdam.Options a: a.beta1 = value; break;
            case Adamax.Options a: a.beta1 = value; break;
            default: throw Unsupported(o, "momentum");
        }
    }

    public static NotSupportedException Unsupported(OptimizerOptions o, string what) =>
        new($"co-scheduling {what} needs one of {(what == "momentum" ? SupportedMomentum : SupportedWeightDecay)}; this optimizer's parameter groups hold {o.GetType().DeclaringType?.Name ?? o.GetType().Name} options");
}
