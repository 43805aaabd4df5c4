using System.Diagnostics;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>λ_max (Lanczos) and trace (Hutchinson) of one module's diagonal Hessian block.</summary>
/// <param name="Module">The module's dotted name ("" for parameters registered on the root).</param>
/// <param name="Parameters">The module's own trainable parameters, by full name.</param>
/// <param name="Converged">Lanczos residual bound below tolerance·|λ| (see <see cref="LanczosResult.Converged"/>).</param>
public sealed record LayerSharpness(string Module, string[] Parameters, long Dimension, double LambdaMax, double ResidualBound,
    bool Converged, bool Stalled, int LanczosSteps, double Trace, double TraceStderr, int TraceProbes, long Hvps, double Seconds);

/// <summary>
/// Per-layer curvature: the model's trainable parameters grouped by the module that owns them (the name up to its last
/// dot: "layer1.0.conv1.weight" → "layer1.0.conv1"), and for each group the λ_max and trace of its diagonal block
/// H_GG (<see cref="ParameterBlockOperator"/>). These say which layers carry the curvature; they are not a
/// decomposition of the full λ_max (off-diagonal blocks are ignored), but the block traces do sum to the full trace.
/// Cost: groups × (Lanczos steps + trace probes) full HVPs.
/// </summary>
public static class PerLayerSharpness
{
    /// <summary>How many parameter groups (modules owning trainable parameters) <see cref="Measure"/> will report.</summary>
    public static int ModuleCount(ModelHessian hessian) => Groups(hessian).Length;

    static IGrouping<string, (string Module, string Name, int Index)>[] Groups(ModelHessian hessian)
    {
        // named_parameters() enumerates in parameters() order, which is the layout's order once frozen ones are dropped.
        var names = hessian.Model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToArray();
        if (names.Length != hessian.Layout.Parameters.Count)
            throw new InvalidOperationException($"{names.Length} named trainable parameters but the layout holds {hessian.Layout.Parameters.Count}");
        return names.Select((name, index) => (Module: name.Contains('.') ? name[..name.LastIndexOf('.')] : "", Name: name, Index: index))
            .GroupBy(g => g.Module).ToArray();
    }

    public static LayerSharpness[] Measure(ModelHessian hessian, int lanczosSteps, double tolerance, int traceProbes, long seed)
    {
        if (lanczosSteps < 1 || traceProbes < 1) throw new ArgumentException("per-layer Lanczos steps and trace probes must be at least 1");
        var layout = hessian.Layout;
        var groups = Groups(hessian);
        var result = new LayerSharpness[groups.Length];
        for (int i = 0; i < groups.Length; i++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            long before = hessian.HvpCount;
            var block = new ParameterBlockOperator(hessian, layout, groups[i].Select(g => g.Index).ToArray());
            var lanczos = LanczosEigenSolver.Run(block, new LanczosOptions(1, (int)Math.Min(lanczosSteps, block.Dimension), tolerance,
                MinSteps: (int)Math.Min(10, Math.Min(lanczosSteps, block.Dimension)), Seed: seed + 2 * i));
            foreach (var v in lanczos.TopVectors) v.Dispose();
            var trace = HutchinsonTrace.Estimate(block, traceProbes, tol: 0, minProbes: traceProbes, seed: seed + 2 * i + 1);
            result[i] = new LayerSharpness(groups[i].Key, groups[i].Select(g => g.Name).ToArray(), block.Dimension, lanczos.LambdaMax,
                lanczos.ResidualBounds[0], lanczos.Converged, lanczos.Stalled, lanczos.Steps, trace.Value, trace.StandardError, trace.Probes,
                hessian.HvpCount - before, clock.Elapsed.TotalSeconds);
        }
        return result;
    }
}
