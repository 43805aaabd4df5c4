namespace TrainKit.Analysis.Tests;

/// <summary>The estimators on softmax attention, LayerNorm, GELU and a tied head: TrainKit's own Gpt, one Pre-LN
/// block, 976 weights (fixture: tools/sharpness/reference_gpt.py; λ_max 6.1091, λ_min −2.3261, trace 9.7456, and 155
/// eigenvalues within 1e-10 of zero from the LayerNorm and softmax invariances). Every check costs hundreds of
/// Hessian-vector products through attention, so the whole class is slow; fewer random probes than on the CNN, the
/// checks are against the estimators' own standard errors all the same.</summary>
[Trait("Category", "Slow")]
public class GptPyTorchReferenceTests : PyTorchReferenceSuite<GptReference>
{
    protected override int TraceProbes => 200;
    protected override int SlqRuns => 60;
    protected override int PerLayerTraceProbes => 40;
}
