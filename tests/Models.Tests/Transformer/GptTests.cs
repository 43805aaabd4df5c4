using TorchSharp;
using TrainKit.Models.Transformer;
using static TorchSharp.torch;

namespace TrainKit.Models.Tests.Transformer;

public class GptTests
{
    static TransformerConfig Tiny(LayerNormPlacement norm = LayerNormPlacement.PreLN, long seed = 0) =>
        new(VocabSize: 13, ContextLength: 8, Layers: 2, Heads: 2, EmbeddingDim: 8, Dropout: 0.0, Norm: norm, Seed: seed);

    static Tensor Tokens(params long[][] rows) => tensor(rows.SelectMany(r => r).ToArray()).view(rows.Length, rows[0].Length);

    [Theory]
    [InlineData(LayerNormPlacement.PreLN)]
    [InlineData(LayerNormPlacement.PostLN)]
    public void Changing_a_future_token_never_changes_an_earlier_position(LayerNormPlacement norm)
    {
        using var scope = NewDisposeScope();
        using var model = new Gpt(Tiny(norm));
        model.eval();
        Tensor original = Tokens([1, 2, 3, 4, 5, 6, 7, 8]);
        Tensor logits = model.forward(original);
        Assert.Equal(new long[] { 1, 8, 13 }, logits.shape);
        for (int changed = 1; changed < 8; changed++)
        {
            Tensor edited = original.clone();
            edited[0, changed] = tensor(12L);
            Tensor editedLogits = model.forward(edited);
            Assert.True(logits[.., ..changed].eq(editedLogits[.., ..changed]).all().item<bool>(), $"a position before {changed} moved");
            Assert.False(logits[.., changed].allclose(editedLogits[.., changed]), $"position {changed} ignored its own token");
        }
    }

    [Fact]
    public void Pre_and_post_LN_place_their_norms_differently_and_compute_different_functions()
    {
        using var scope = NewDisposeScope();
        using var pre = new Gpt(Tiny(LayerNormPlacement.PreLN, seed: 1));
        using var post = new Gpt(Tiny(LayerNormPlacement.PostLN, seed: 1));
        // Pre-LN: 2 per block + the final one; Post-LN: 2 per block only.
        Assert.Equal(5, pre.modules().OfType<TorchSharp.Modules.LayerNorm>().Count());
        Assert.Equal(4, post.modules().OfType<TorchSharp.Modules.LayerNorm>().Count());

        // A Post-LN block ends with a LayerNorm (scale 1, shift 0 at init), so every position of its
        // output has mean 0 and variance 1; a Pre-LN block's output is its input plus two branches.
        Tensor hidden = randn(2, 8, 8) * 3 + 1;
        Tensor postOut = post.Blocks[0].forward(hidden);
        Tensor preOut = pre.Blocks[0].forward(hidden);
        Assert.True(postOut.mean([-1]).abs().max().item<float>() < 1e-5);
        Assert.True((postOut.var([-1], unbiased: false) - 1).abs().max().item<float>() < 1e-3);
        Assert.True(preOut.var([-1], unbiased: false).sub(1).abs().max().item<float>() > 0.5);

        Tensor tokens = Tokens([1, 2, 3, 4], [5, 6, 7, 8]);
        Assert.False(pre.forward(tokens).allclose(post.forward(tokens), rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void The_head_is_the_token_embedding()
    {
        using var scope = NewDisposeScope();
        using var model = new Gpt(Tiny());
        // No [vocab, C] parameter other than the token embedding: the head owns no weights.
        Assert.Single(model.parameters(), p => p.shape.SequenceEqual(new long[] { 13, 8 }));
        Tensor tokens = Tokens([1, 2, 3]);
        Tensor logits = model.forward(tokens);
        // Logit for token j is the final hidden state dotted with embedding row j: bumping row 5 changes
        // only column 5 of the logits. (Not a constant bump: the final LayerNorm's output sums to 0.)
        using (no_grad()) model.TokenEmbeddingWeight[5].add_(linspace(-1, 1, 8));
        Tensor bumped = model.forward(Tokens([1, 2, 3]));
        Tensor changedColumns = (bumped - logits).abs().amax([0, 1]).gt(1e-6).nonzero().flatten();
        Assert.Equal(new long[] { 5 }, changedColumns.data<long>().ToArray());
    }

    [Fact]
    public void Same_seed_gives_identical_weights()
    {
        using var a = new Gpt(Tiny(seed: 9));
        using var b = new Gpt(Tiny(seed: 9));
        using var c = new Gpt(Tiny(seed: 10));
        Assert.True(ModelAssert.SameWeights(a, b));
        Assert.False(ModelAssert.SameWeights(a, c));
    }

    /// <summary>Hessian-vector products need double backward through attention, LayerNorm and GELU.
    /// H·v by autograd (twice, to show the graph survives) must match the central difference of the
    /// gradient along v.</summary>
    [Theory]
    [InlineData(LayerNormPlacement.PreLN)]
    [InlineData(LayerNormPlacement.PostLN)]
    public void Double_backward_gives_a_Hessian_vector_product_that_matches_finite_differences(LayerNormPlacement norm)
    {
        using var scope = NewDisposeScope();
        using var model = new Gpt(Tiny(norm, seed: 2));
        model.to(ScalarType.Float64);
        Tensor x = Tokens([1, 4, 2, 8, 5, 7], [3, 3, 9, 0, 12, 6]);
        Tensor y = Tokens([4, 2, 8, 5, 7, 1], [3, 9, 0, 12, 6, 2]);
        var parameters = model.parameters().Select(p => (Tensor)p).ToList();
        using var generator = new Generator(42);
        var direction = parameters.Select(p => randn(p.shape, dtype: ScalarType.Float64, generator: generator)).ToList();

        Tensor Loss() => nn.functional.cross_entropy(model.forward(x).view(-1, 13), y.view(-1));

        List<Tensor> HessianTimesDirection()
        {
            var grads = torch.autograd.grad([Loss()], parameters, create_graph: true, retain_graph: true);
            Tensor gradDotV = grads.Zip(direction, (g, v) => (g * v).sum()).Aggregate((a, b) => a + b);
            return torch.autograd.grad([gradDotV], parameters, create_graph: true, retain_graph: true).ToList();
        }

        List<Tensor> Gradient() => torch.autograd.grad([Loss()], parameters).ToList();

        void Shift(double step)
        {
            using var _ = no_grad();
            for (int i = 0; i < parameters.Count; i++) parameters[i].add_(direction[i], alpha: step);
        }

        var hv1 = HessianTimesDirection();
        var hv2 = HessianTimesDirection();
        Assert.All(hv1.Zip(hv2), pair => Assert.True(pair.First.allclose(pair.Second, rtol: 1e-9, atol: 1e-12)));

        const double eps = 1e-5;
        Shift(eps);
        var gPlus = Gradient();
        Shift(-2 * eps);
        var gMinus = Gradient();
        Shift(eps);

        Tensor autograd = cat(hv1.Select(t => t.flatten()).ToList(), 0);
        Tensor finite = cat(gPlus.Zip(gMinus, (p, m) => ((p - m) / (2 * eps)).flatten()).ToList(), 0);
        double relativeError = ((autograd - finite).norm() / finite.norm()).item<double>();
        Assert.True(finite.norm().item<double>() > 1e-3, "the Hessian-vector product should not be ~0");
        Assert.True(relativeError < 1e-4, $"relative error {relativeError}");
    }

    [Fact]
    public void A_tiny_model_learns_a_repeating_sequence()
    {
        using var scope = NewDisposeScope();
        using var model = new Gpt(new TransformerConfig(VocabSize: 8, ContextLength: 8, Layers: 1, Heads: 2, EmbeddingDim: 16, Seed: 3));
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
        // Period-5 sequence 0 3 1 4 2: every next token is determined by the current one.
        long[] stream = Enumerable.Range(0, 40).Select(i => (long)new[] { 0, 3, 1, 4, 2 }[i % 5]).ToArray();
        Tensor x = tensor(stream).unfold(0, 8, 1)[..30], y = tensor(stream[1..]).unfold(0, 8, 1)[..30];
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = nn.functional.cross_entropy(model.forward(x).view(-1, 8), y.reshape(-1));
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.InRange(first, 1.7, 2.5); // ≈ ln 8 at init
        Assert.True(last < 0.1, $"loss {first:F3} -> {last:F3}");
    }

    [Fact]
    public void Dropout_is_active_in_training_mode_only()
    {
        using var scope = NewDisposeScope();
        using var model = new Gpt(Tiny() with { Dropout = 0.2 });
        Tensor tokens = Tokens([1, 2, 3, 4, 5]);
        model.train();
        Assert.False(model.forward(tokens).allclose(model.forward(tokens)));
        model.eval();
        Assert.True(model.forward(tokens).equal(model.forward(tokens)).all().item<bool>());
    }

    [Fact]
    public void Malformed_token_batches_are_rejected_in_managed_code()
    {
        using var scope = NewDisposeScope();
        using var model = new Gpt(Tiny());
        Assert.Contains("int64", Assert.Throws<ArgumentException>(() => model.forward(zeros(1, 4, dtype: ScalarType.Int32))).Message);
        Assert.Throws<ArgumentException>(() => model.forward(zeros(4, dtype: ScalarType.Int64)));
        Assert.Contains("T <= 8", Assert.Throws<ArgumentException>(() => model.forward(zeros(1, 9, dtype: ScalarType.Int64))).Message);
        Assert.Contains("[0, 13)", Assert.Throws<ArgumentException>(() => model.forward(Tokens([1, 13]))).Message);
        Assert.Throws<ArgumentException>(() => model.forward(Tokens([-1, 2])));
    }

    [Fact]
    public void Invalid_configs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Gpt(Tiny() with { EmbeddingDim = 10, Heads = 3 }));
        Assert.Throws<ArgumentException>(() => new Gpt(Tiny() with { Dropout = 1.0 }));
    }
}
