using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrainKit.Models;

/// <summary>
/// A small fully connected network with tanh activations: flatten → (Linear → tanh) × depth → Linear.
/// The model of Cohen et al. 2021's edge-of-stability experiments (smooth, so the Hessian is well defined
/// everywhere and full-batch gradient descent shows progressive sharpening).
/// </summary>
public sealed class TanhMlp : Module<Tensor, Tensor>
{
    readonly Sequential layers;
    readonly int inChannels, imageSize;

    public TanhMlp(int inChannels, int imageSize, int numClasses, int hidden = 200, int depth = 2, long seed = 0) : base("tanh-mlp")
    {
        if (hidden < 1 || depth < 1) throw new ArgumentException($"hidden ({hidden}) and depth ({depth}) must be at least 1");
        this.inChannels = inChannels;
        this.imageSize = imageSize;
        var modules = new List<(string, Module<Tensor, Tensor>)> { ("flatten", Flatten()) };
        long width = (long)inChannels * imageSize * imageSize;
        for (int i = 0; i < depth; i++)
        {
            modules.Add(($"linear{i + 1}", Linear(width, hidden)));
            modules.Add(($"tanh{i + 1}", Tanh()));
            width = hidden;
        }
        modules.Add(("output", Linear(width, numClasses)));
        layers = Sequential(modules);
        RegisterComponents();
        using var generator = new Generator((ulong)seed);
        foreach (var (_, module) in named_modules())
            if (module is Linear linear) WeightInit.LinearDefault(linear, generator);
    }

    public override Tensor forward(Tensor x)
    {
        InputChecks.RequireImageBatch(x, inChannels, imageSize, "tanh MLP");
        return layers.forward(x);
    }
}
