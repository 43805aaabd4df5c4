using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>The estimators on convolutions and BatchNorm (fixture: tools/sharpness/reference_cnn.py, 163 weights):
/// eval mode, normalising with non-trivial running statistics (λ_max 1.1215, λ_min −0.4112, trace 2.7368), and train
/// mode, normalising each piece of the 10 + 6 split by its own statistics (λ_max 1.3847, trace 3.0721).</summary>
public class CnnPyTorchReferenceTests : PyTorchReferenceSuite<CnnReference>
{
    [Fact]
    public void Train_mode_loss_gradient_and_Hessian_columns_match_PyTorch_with_batch_statistics()
    {
        var hessian = Reference.NewHessian(HessianMode.Train);
        var (loss, gradient) = hessian.LossAndGradient();
        double expectedLoss = Reference.Number("train", "loss"), expectedNorm = Reference.Number("train", "gradient_norm");
        Assert.Equal(expectedLoss, loss, 1e-12 * expectedLoss);
        Assert.Equal(expectedNorm, FlatVectors.Norm(gradient), 1e-12 * expectedNorm);
        AssertColumns(hessian, "train");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Train_mode_Lanczos_and_Hutchinson_match_PyTorch_and_leave_the_running_statistics_alone()
    {
        var meanBefore = Reference.RunningMean.clone();
        var varBefore = Reference.RunningVar.clone();
        bool trainingBefore = Reference.Model.training;
        var hessian = Reference.NewHessian(HessianMode.Train);
        AssertLanczosTop3(hessian, "train");
        AssertHutchinson(hessian, "train", TraceProbes);
        // Every train-mode forward updated the running statistics; ModelHessian must have put them back exactly, or
        // the eval-mode tests that follow would see another function.
        Assert.Equal(0.0, (Reference.RunningMean - meanBefore).abs().max().item<double>());
        Assert.Equal(0.0, (Reference.RunningVar - varBefore).abs().max().item<double>());
        Assert.Equal(trainingBefore, Reference.Model.training);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void SLQ_with_n_steps_puts_its_nodes_on_the_exact_eigenvalues() =>
        SlqAssert.NodesOnExactEigenvalues(Reference.NewHessian(), Reference.Doubles("eigenvalues_ascending"));
}
