using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TrainKit.Analysis;

/// <summary>Which function of the weights the Hessian is taken of.</summary>
public enum HessianMode
{
    /// <summary>Eval mode: BatchNorm normalizes with its running statistics, Dropout is off. Deterministic; the
    /// Hessian of the function the model computes at test time.</summary>
    Eval,
    /// <summary>Train mode: BatchNorm normalizes each batch with its own statistics (the function SGD differentiates,
    /// so the one whose λ_max governs the stability of training). Running statistics are restored after every
    /// evaluation. Dropout is active in this mode, which makes the surface random: use it on models without Dropout.</summary>
    Train,
}

/// <summary>
/// The loss of a model over a fixed analysis set, with its gradient and exact Hessian-vector products
/// (Pearlmutter's trick: differentiate gᵀv once more, "double backward"). Like PyHessian's <c>hessian</c> object,
/// one instance holds (model, loss, batches) and every quantity is built from <see cref="Multiply"/>.
/// <para>The model is put in eval mode (or train mode, <see cref="HessianMode"/>) for every evaluation and each
/// module's own previous mode is restored afterwards (<see cref="ModuleModes"/>). Batch results are averaged with
/// weights equal to batch sizes, accumulated in float64. The Hessian is that of the data loss only: an L2 /
/// weight-decay term the optimizer adds is not part of it (add λ_wd to every eigenvalue to include it).</para>
/// <para>Parameters the loss does not use get zero gradients and zero Hessian rows (libtorch would abort the process
/// on them otherwise); a loss linear in the weights has H = 0 exactly; a loss that depends on no trainable parameter
/// is a managed error.</para>
/// </summary>
public sealed class ModelHessian : IHessianOperator
{
    readonly nn.Module<Tensor, Tensor> _model;
    readonly AnalysisLoss _loss;
    readonly IReadOnlyList<AnalysisBatch> _batches;
    readonly long _examples;
    readonly Stopwatch _clock = new();

    public ModelHessian(nn.Module<Tensor, Tensor> model, AnalysisLoss loss, IReadOnlyList<AnalysisBatch> batches,
        HessianMode mode = HessianMode.Eval)
    {
        Mode = mode;
        if (batches.Count == 0) throw new ArgumentException("the analysis set has no batches");
        _model = model;
        _loss = loss;
        _batches = batches;
        _examples = batches.Sum(b => b.Size);
        Layout = new ParameterLayout(model.parameters());
    }

    public nn.Module<Tensor, Tensor> Model => _model;
    public HessianMode Mode { get; }
    public ParameterLayout Layout { get; }
    public IReadOnlyList<AnalysisBatch> Batches => _batches;
    public long Examples => _examples;
    public long Dimension => Layout.Count;

    public long HvpCount { get; private set; }
    public long GradientCount { get; private set; }
    public long LossCount { get; private set; }
    /// <summary>Wall time spent inside this object's evaluations.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Mean loss over the analysis set at the current weights.</summary>
    public double Loss()
    {
        LossCount++;
        return InAnalysisMode(() =>
        {
            double sum = 0;
            using var noGrad = no_grad();
            foreach (var batch in _batches)
            {
                using var scope = NewDisposeScope();
                sum += BatchLoss(batch).to(ScalarType.Float64).item<double>() * batch.Size;
            }
            return sum / _examples;
        });
    }

    /// <summary>Mean loss at the weights plus <paramref name="delta"/>; the weights are restored exactly afterwards.</summary>
    public double LossAt(Tensor delta)
    {
        using var perturbation = Layout.Perturb(delta);
        return Loss();
    }

    /// <summary>Fraction of analysis examples whose output argmax (over the last dimension) equals the target class.
    /// Counts as one loss evaluation. Needs integer class-index targets shaped like the output without its last axis.</summary>
    public double Accuracy()
    {
        LossCount++;
        return InAnalysisMode(() =>
        {
            long correct = 0, total = 0;
            using var noGrad = no_grad();
            foreach (var batch in _batches)
            {
                using var scope = NewDisposeScope();
                var output = _model.call(batch.Input);
                var target = batch.Target;
                if (target.is_floating_point() || !output.shape[..^1].SequenceEqual(target.shape))
                    throw new ArgumentException($"accuracy needs class-index targets shaped like the output without its last axis; " +
                                                $"got output [{string.Join(", ", output.shape)}], target [{string.Join(", ", target.shape)}] ({target.dtype})");
                correct += output.argmax(-1).eq(target).sum().item<long>();
                total += target.numel();
            }
            return (double)correct / total;
        });
    }

    /// <summary>Accuracy at the weights plus <paramref name="delta"/> (weights restored afterwards).</summary>
    public double AccuracyAt(Tensor delta)
    {
        using var perturbation = Layout.Perturb(delta);
        return Accuracy();
    }

    /// <summary>Mean loss and its gradient (flat float64) at the current weights.</summary>
    public (double Loss, Tensor Gradient) LossAndGradient()
    {
        GradientCount++;
        return InAnalysisMode(() =>
        {
            double sum = 0;
            var total = zeros(Dimension, ScalarType.Float64);
            foreach (var batch in _batches)
            {
                using var scope = NewDisposeScope();
                var loss = BatchLoss(batch);
                var grads = Gradients(loss, Layout.Parameters.Cast<Tensor>().ToList(), createGraph: false);
                total.add_(Layout.Flatten(grads), alpha: batch.Size);
                sum += loss.to(ScalarType.Float64).item<double>() * batch.Size;
            }
            return (sum / _examples, total.div_(_examples));
        });
    }

    /// <summary>Gradient at the weights plus <paramref name="delta"/> (weights restored afterwards).</summary>
    public (double Loss, Tensor Gradient) LossAndGradientAt(Tensor delta)
    {
        using var perturbation = Layout.Perturb(delta);
        return LossAndGradient();
    }

    /// <summary>Exact Hessian-vector product H·v of the mean analysis loss.</summary>
    public Tensor Multiply(Tensor v)
    {
        Layout.Require(v);
        HvpCount++;
        return InAnalysisMode(() =>
        {
            var total = zeros(Dimension, ScalarType.Float64);
            var parameters = Layout.Parameters.Cast<Tensor>().ToList();
            foreach (var batch in _batches)
            {
                using var scope = NewDisposeScope();
                var loss = BatchLoss(batch);
                var grads = Gradients(loss, parameters, createGraph: true);
                var pieces = Layout.Split(v);
                Tensor gradDotV = zeros(1, grads[0].dtype, grads[0].device);
                for (int i = 0; i < pieces.Length; i++) gradDotV = gradDotV + (grads[i] * pieces[i]).sum();
                // A loss linear in the weights has a constant gradient: no graph to differentiate, H·v = 0 exactly.
                if (!gradDotV.requires_grad) continue;
                var hv = Gradients(gradDotV.sum(), parameters, createGraph: false);
                total.add_(Layout.Flatten(hv), alpha: batch.Size);
            }
            return total.div_(_examples);
        });
    }

    Tensor BatchLoss(AnalysisBatch batch)
    {
        var loss = _loss(_model.call(batch.Input), batch.Target);
        if (loss.numel() != 1)
            throw new ArgumentException($"the loss must be a scalar (the batch mean), got shape [{string.Join(", ", loss.shape)}]");
        return loss;
    }

    /// <summary>∂output/∂parameters with unused parameters as zeros. allow_unused keeps libtorch from aborting on a
    /// registered parameter the loss never touches; TorchSharp returns those as invalid (empty-handle) tensors.</summary>
    static Tensor[] Gradients(Tensor output, IList<Tensor> parameters, bool createGraph)
    {
        if (!output.requires_grad)
            throw new ArgumentException("the loss does not depend on any trainable parameter of the model: no gradient or Hessian exists");
        // TorchSharp: retain_graph does not follow create_graph; both are needed for the second backward.
        var grads = torch.autograd.grad(new[] { output }, parameters, null, retain_graph: createGraph, create_graph: createGraph,
            allow_unused: true);
        var result = new Tensor[parameters.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = grads[i].IsInvalid ? zeros_like(parameters[i]) : grads[i];
        return result;
    }

    T InAnalysisMode<T>(Func<T> evaluate)
    {
        var modes = ModuleModes.Capture(_model);
        using var buffers = Mode == HessianMode.Train ? BufferSnapshot.Capture(_model) : null;
        if (Mode == HessianMode.Train) _model.train(); else _model.eval();
        bool wasRunning = _clock.IsRunning;
        _clock.Start();
        try { return evaluate(); }
        finally
        {
            if (!wasRunning) _clock.Stop();
            buffers?.Restore();
            modes.Restore();
        }
    }
}
