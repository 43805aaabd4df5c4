using static TorchSharp.torch;

namespace TrainKit.Training.Export;

/// <summary><c>model.init_from</c>: a run's starting weights read from a .pt or .safetensors state_dict in the
/// PyTorch layout <c>trainkit export</c> writes, strictly (every key, no extra key, same shapes). The trainer applies
/// it before step 0 of a fresh run; a resume or fork restores its checkpoint instead.</summary>
public static class InitFrom
{
    public const string Key = "model.init_from";

    /// <summary>Loads <paramref name="path"/> into <paramref name="model"/>; every refusal names the key and the file
    /// (and the state-dict key at fault), and is bad input (exit 2).</summary>
    public static void Load(nn.Module model, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{Key}: state_dict file not found: {path}", path);
        Dictionary<string, Tensor> weights;
        try
        {
            weights = StateDictFile.Read(path);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{Key}: {ex.Message}", ex);
        }
        try
        {
            PyTorchStateDict.Load(model, weights, $"{Key} {path}");
        }
        finally
        {
            foreach (var tensor in weights.Values) tensor.Dispose();
        }
    }
}
