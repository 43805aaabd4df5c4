using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>
/// Adam's diagonal preconditioner after <see cref="Step"/> updates, as Cohen et al. 2022 ("Adaptive gradient methods at
/// the edge of stability", Sec. 3) define it: P = (1 − β1^t)·diag(√v̂ + ε), v̂ = v/(1 − β2^t), so that the update is
/// −η·P⁻¹·m. Adam is stable on a quadratic while λ_max(P⁻¹H) &lt; (2 + 2β1)/((1 − β1)·η) (38/η for β1 = 0.9): the
/// preconditioned sharpness is the quantity that rises to that threshold at the edge of stability, as λ_max does to
/// 2/η under gradient descent. Cohen et al. use the v of the coming step; this uses the optimizer's current one (the
/// state a checkpoint holds), which differs by one gradient's share (1 − β2) of v.
/// </summary>
public sealed class AdamPreconditioner : IDisposable
{
    /// <summary>P, flat, in <see cref="ParameterLayout"/> order (float64).</summary>
    public Tensor Diagonal { get; }
    public long Step { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double Lr { get; }

    /// <summary>Adam's stability threshold for λ_max(P⁻¹H) at this lr and β1.</summary>
    public double Threshold => (2 + 2 * Beta1) / ((1 - Beta1) * Lr);

    public AdamPreconditioner(Tensor diagonal, long step, double beta1, double beta2, double eps, double lr)
    {
        if (step < 1) throw new ArgumentException("Adam's preconditioner needs at least one optimizer step (its second moment is still 0)");
        if (!(lr > 0)) throw new ArgumentException($"the lr must be positive for a stability threshold, got {lr}");
        Diagonal = diagonal;
        Step = step;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        Lr = lr;
    }

    /// <summary>Reads P from an Adam or AdamW optimizer's state (the parameters' second moments and step count).
    /// Every parameter group must share β1, β2, ε and the lr (decay and no-decay groups do).</summary>
    public static AdamPreconditioner FromOptimizer(OptimizerHelper optimizer, ParameterLayout layout)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var groups = optimizer.ParamGroups.Cast<ParamGroup>().ToList();
        var settings = groups.Select(g => g.Options switch
        {
            Adam.Options a => (a.beta1!.Value, a.beta2!.Value, a.eps!.Value, g.LearningRate),
            AdamW.Options w => (w.beta1!.Value, w.beta2!.Value, w.eps!.Value, g.LearningRate),
            _ => throw new ArgumentException($"preconditioned sharpness is defined here for Adam and AdamW, not {optimizer.GetType().Name}"),
        }).Distinct().ToList();
        if (settings.Count != 1)
            throw new ArgumentException("preconditioned sharpness needs one β1, β2, ε and lr across the parameter groups; they differ here");
        var (beta1, beta2, eps, lr) = settings[0];

        // state_dict() lists the states group by group, parameter by parameter: pair them with the parameters.
        var states = optimizer.state_dict().State;
        var parameters = groups.SelectMany(g => g.Parameters).ToList();
        if (states.Count != parameters.Count)
            throw new InvalidOperationException($"the optimizer holds {states.Count} states for {parameters.Count} parameters");
        var byHandle = new Dictionary<IntPtr, (Tensor SecondMoment, long Step)>();
        for (int i = 0; i < parameters.Count; i++)
            byHandle[parameters[i].Handle] = states[i] switch
            {
                Adam.State a => (a.exp_avg_sq, a.step),
                AdamW.State w => (w.exp_avg_sq, w.step),
                _ => throw new ArgumentException($"unexpected optimizer state {states[i].GetType().Name}"),
            };
        long step = byHandle.Values.Max(s => s.Step);   // a parameter that never had a gradient keeps step 0
        using var scope = NewDisposeScope();
        double correction1 = 1 - Math.Pow(beta1, step), correction2 = 1 - Math.Pow(beta2, step);
        var parts = layout.Parameters.Select(p => byHandle.TryGetValue(p.Handle, out var s)
            ? s.SecondMoment.detach().to(ScalarType.Float64).div(correction2).sqrt_().add_(eps).mul_(correction1)
            : throw new ArgumentException("a model parameter is not in the optimizer, so it has no preconditioner")).ToArray();
        return new AdamPreconditioner(layout.Flatten(parts).MoveToOuterDisposeScope(), step, beta1, beta2, eps, lr);
    }

    /// <summary>P^(−1/2): the scale D for which D·H·D has the eigenvalues of P⁻¹H.</summary>
    public Tensor InverseSqrt() => Diagonal.rsqrt();

    public void Dispose() => Diagonal.Dispose();
}
