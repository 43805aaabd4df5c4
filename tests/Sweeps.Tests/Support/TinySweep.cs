namespace TrainKit.Sweeps.Tests.Support;

/// <summary>An experiment of tiny cells (a quarter-width ResNet-20, a few steps of batch 16, a checkpoint every
/// step) written to a temp folder, for worker tests that train for real.</summary>
public static class TinySweep
{
    public static string Experiment(string dir, int cells, int steps, string name = "tiny", int evalEvery = 4)
    {
        string[] kinds = ["ConstantLR", "CosineAnnealingLR"];
        int variants = Math.Min(cells, kinds.Length);
        if (cells % variants != 0) throw new ArgumentException("cells must be a multiple of the variant count");
        string variantList = string.Join(", ", kinds.Take(variants).Select(k => "{\"name\": \"" + k + "\", \"schedule\": {\"kind\": \"" + k + "\"}}"));
        string seeds = string.Join(", ", Enumerable.Range(0, cells / variants));
        string json = "{\"name\": \"" + name + "\", \"analyze\": false, " +
            "\"base\": {\"model\": {\"name\": \"resnet20\", \"width\": 0.25}, \"batch_size\": 16, \"steps\": " + steps + ", \"log_every\": 1, " +
            "\"eval_every\": " + evalEvery + ", \"checkpoint_every\": 1, \"optimizer\": {\"lr\": 0.02}, \"data\": {\"eval_examples\": 50}}, " +
            "\"variants\": [" + variantList + "], \"seeds\": [" + seeds + "]}";
        string path = Path.Combine(dir, "experiment.json");
        File.WriteAllText(path, json);
        return path;
    }
}
