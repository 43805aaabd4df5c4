using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TrainKit.Training.Analysis;

/// <summary>
/// The loss of a model over a fixed analysis set, with its gradient and exact Hessian-vector products
/// (Pearlmutter's trick: differentiate gᵀv once more, "double backward"). Like PyHessian's <c>hessian</c> object,
/// one instance holds (model, loss, batches) and every quantity is built from <see cref="Multiply"/>.
/// <para>The model is put in eval mode for every evaluation (BatchNorm uses running statistics, Dropout is off, so the
/// surface is deterministic) and its previous mode is restored afterwards. Batch results are averaged with weights
/// equal to batch sizes, accumulated in float64.</para>
/// </summary>
public sealed class ModelHessian : IHessianOperator
{
    readonly nn.Module<Tensor, Tensor> _model;
    readonly AnalysisLoss _loss;
    readonly IReadOnlyList<AnalysisBatch> _batches;
    readonly long _examples;
    readonly Stopwatch _clock = new();

    public ModelHessian(nn.Module<Tensor, Tensor> model, AnalysisLoss loss, IReadOnlyList<AnalysisBatch> batches)
    {
        if (batches.Count == 0) throw new ArgumentException("the analysis set has no batches");
        _model = model;
        _loss = loss;
        _batches = batches;
        _examples = batches.Sum(b => b.Size);
        Layout = new ParameterLayout(model.parameters());
    }

    public nn.Module<Tensor, Tensor> Model => _model;
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
        return InEvalMode(() =>
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

    /// <summary>Mean loss and its gradient (flat float64) at the current weights.</summary>
    public (double Loss, Tensor Gradient) LossAndGradient()
    {
        GradientCount++;
        return InEvalMode(() =>
        {
            double sum = 0;
            var total = zeros(Dimension, ScalarType.Float64);
            foreach (var batch in _batches)
            {
                using var scope = NewDisposeScope();
                var loss = BatchLoss(batch);
                var grads = torch.autograd.grad(new[] { loss }, Layout.Parameters.Cast<Tensor>().ToList(), null,
                    retain_graph: false, create_graph: false);
                total.add_(Layout.Flatten(grads.ToArray()), alpha: batch.Size);
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
        return InEvalMode(() =>
        {
            var total = zeros(Dimension, ScalarType.Float64);
            var parameters = Layout.Parameters.Cast<Tensor>().ToList();
            foreach (var batch in _batches)
            {
                using var scope = NewDisposeScope();
                var loss = BatchLoss(batch);
                // TorchSharp: retain_graph does not follow create_graph; both are needed for the second backward.
                var grads = torch.autograd.grad(new[] { loss }, parameters, null, retain_graph: true, create_graph: true);
                var pieces = Layout.Split(v);
                Tensor gradDotV = zeros(1, grads[0].dtype, grads[0].device);
                for (int i = 0; i < pieces.Length; i++) gradDotV = gradDotV + (grads[i] * pieces[i]).sum();
                var hv = torch.autograd.grad(new[] { gradDotV.sum() }, parameters, null, retain_graph: false, create_graph: false);
                total.add_(Layout.Flatten(hv.ToArray()), alpha: batch.Size);
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

    T InEvalMode<T>(Func<T> evaluate)
    {
        bool wasTraining = _model.training;
        _model.eval();
        bool wasRunning = _clock.IsRunning;
        _clock.Start();
        try { return evaluate(); }
        finally
        {
            if (!wasRunning) _clock.Stop();
            if (wasTraining) _model.train();
        }
    }
}
