using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>
/// The train/eval flag of every module of a model, captured so it can be put back exactly. A plain
/// <c>model.train()</c> after an evaluation flattens the tree: a BatchNorm frozen in eval mode inside a training model
/// would come back in train mode and start updating its statistics again.
/// </summary>
public sealed class ModuleModes
{
    readonly (nn.Module Module, bool Training)[] _modes;

    ModuleModes((nn.Module, bool)[] modes) => _modes = modes;

    /// <summary>Flags in pre-order (every parent before its descendants).</summary>
    public static ModuleModes Capture(nn.Module model) => new(AllModules(model).Select(m => (m, m.training)).ToArray());

    /// <summary>train(flag) recurses into the children, so flags are applied in pre-order: each descendant's own flag
    /// is applied after its parent's and wins.</summary>
    public void Restore()
    {
        foreach (var (module, training) in _modes)
            if (module.training != training) module.train(training);
    }

    /// <summary>The model itself and all its descendants, each once, parents first.</summary>
    public static IEnumerable<nn.Module> AllModules(nn.Module model)
    {
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance) { model };
        yield return model;
        foreach (var (_, module) in model.named_modules())
            if (seen.Add(module)) yield return module;
    }
}
