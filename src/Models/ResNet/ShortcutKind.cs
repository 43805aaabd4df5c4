namespace TrainKit.Models.ResNet;

/// <summary>How a residual block matches its input to its output when the stride or width changes
/// (He et al. 2016, "Deep Residual Learning", §3.3 and §4.2).</summary>
public enum ShortcutKind
{
    /// <summary>Option A: identity on every other pixel, extra channels zero-padded. Parameter-free;
    /// what the paper uses for its CIFAR-10 ResNets, so the default.</summary>
    ZeroPadIdentity,

    /// <summary>Option B: a strided 1×1 convolution + BatchNorm projection where the shape changes.</summary>
    Projection,
}
