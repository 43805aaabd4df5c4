using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrainKit.Training.Loop;

/// <summary>The result of an LR range test: the lrs tried, the smoothed losses, and fastai's suggestions.</summary>
public sealed record LrRangeResult(
    IReadOnlyList<double> Lrs,
    IReadOnlyList<double> SmoothedLosses,
    double Valley,
    double Steepest,
    double MinimumOverTen,
    bool StoppedAtDivergence);

/// <summary>
/// LR range test (Smith 2017; fastai's <c>lr_find</c>): train with an lr that grows exponentially from
/// <c>startLr</c> to <c>endLr</c>, track an exponentially smoothed, bias-corrected loss, stop once it
/// exceeds <c>divergenceFactor</c> × its minimum, then put the weights and optimizer state back.
/// </summary>
public static class LrRangeTest
{
    public static LrRangeResult Run(ITrainingTask task, OptimizerHelper optimizer, double startLr = 1e-7, double endLr = 10,
        int steps = 100, double smoothing = 0.98, double divergenceFactor = 4)
    {
        if (!(startLr > 0)) throw new ArgumentException($"startLr must be > 0, got {startLr}");
        if (!(endLr > startLr)) throw new ArgumentException($"endLr must be greater than startLr ({startLr}), got {endLr}");
        if (steps < 5) throw new ArgumentException($"steps must be at least 5, got {steps}");
        if (!(smoothing is >= 0 and < 1)) throw new ArgumentException($"smoothing must be in [0, 1), got {smoothing}");

        var model = task.Model;
        var savedWeights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        var savedOptimizer = new MemoryStream();
        using (var writer = new BinaryWriter(savedOptimizer, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
        var savedLrs = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();

        var lrs = new List<double>();
        var losses = new List<double>();
        double average = 0, best = double.PositiveInfinity;
        bool diverged = false;
        try
        {
            model.train();
            for (int i = 0; i < steps; i++)
            {
                double lr = startLr * Math.Pow(endLr / startLr, (double)i / (steps - 1));
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
                double loss;
                using (var scope = NewDisposeScope())
                {
                    var (input, target) = task.TrainBatch(i);
                    optimizer.zero_grad();
                    Tensor lossTensor = task.Loss(model.call(input), target);
                    loss = lossTensor.item<float>();
                    if (double.IsFinite(loss))
                    {
                        lossTensor.backward();
                        optimizer.step();
                    }
                }
                if (!double.IsFinite(loss)) { diverged = true; break; }
                average = smoothing * average + (1 - smoothing) * loss;
                double smoothed = average / (1 - Math.Pow(smoothing, i + 1));
                lrs.Add(lr);
                losses.Add(smoothed);
                best = Math.Min(best, smoothed);
                if (i > 0 && smoothed > divergenceFactor * best) { diverged = true; break; }
            }
        }
        finally
        {
            using (no_grad())
                foreach (var (name, value) in model.state_dict())
                    value.copy_(savedWeights[name]);
            foreach (var t in savedWeights.Values) t.Dispose();
            savedOptimizer.Position = 0;
            using (var reader = new BinaryReader(savedOptimizer)) optimizer.load_state_dict(reader);
            int k = 0;
            foreach (var group in optimizer.ParamGroups) group.LearningRate = savedLrs[k++];
        }
        if (lrs.Count < 5)
            throw new InvalidOperationException($"the loss diverged after {lrs.Count} steps; lower the start lr (now {startLr})");
        return new LrRangeResult(lrs, losses, Valley(lrs, losses), Steepest(lrs, losses), MinimumOverTen(lrs, losses), diverged);
    }

    /// <summary>fastai's "valley": the longest stretch over which the loss keeps decreasing; the lr
    /// about two thirds of the way along it.</summary>
    public static double Valley(IReadOnlyList<double> lrs, IReadOnlyList<double> losses)
    {
        int n = losses.Count;
        var longest = new int[n];
        int end = 0;
        for (int i = 0; i < n; i++)
        {
            longest[i] = 1;
            for (int j = 0; j < i; j++)
                if (losses[i] < losses[j] && longest[i] < longest[j] + 1) longest[i] = longest[j] + 1;
            if (longest[i] > longest[end]) end = i;
        }
        int start = end - longest[end] + 1;
        double third = (end - start) / 3.0;
        return lrs[Math.Min(n - 1, start + (int)third + (int)(third / 2))];
    }

    /// <summary>Points at the start of the ramp that the steepest / minimum suggestions ignore (fastai skips
    /// them too): the smoothed loss has barely moved there, so its minimum or slope is noise.</summary>
    const int SkipStart = 5;

    /// <summary>The lr where the loss falls fastest against log(lr).</summary>
    public static double Steepest(IReadOnlyList<double> lrs, IReadOnlyList<double> losses)
    {
        int first = losses.Count > SkipStart + 2 ? SkipStart : 1;
        int best = first;
        double steepest = double.PositiveInfinity;
        for (int i = first; i < losses.Count; i++)
        {
            double slope = (losses[i] - losses[i - 1]) / (Math.Log(lrs[i]) - Math.Log(lrs[i - 1]));
            if (slope < steepest) { steepest = slope; best = i; }
        }
        return lrs[best];
    }

    /// <summary>The lr of the lowest smoothed loss, divided by ten (the classic rule of thumb).</summary>
    public static double MinimumOverTen(IReadOnlyList<double> lrs, IReadOnlyList<double> losses)
    {
        int best = losses.Count > SkipStart + 2 ? SkipStart : 0;
        for (int i = best + 1; i < losses.Count; i++) if (losses[i] < losses[best]) best = i;
        return lrs[best] / 10;
    }
}
